import { Accountant } from './accountant.js';
import { installHttpActivities, installTracingActivities } from './http-auto.js';

Accountant.extensions.push(installHttpActivities, installTracingActivities);

/** The thread's accountant: `acct.run(token, fn)`, `start`/`stop`/`read`/`switchTo`, `metric`. */
export const acct = new Accountant();

export { Accountant, type RecordSink, type RecordSource } from './accountant.js';
export { Activity, type AcctRecord } from './activity.js';
export { FIELDS, F, SUBSYSTEMS, TIME_FIELDS, BYTE_FIELDS, COUNT_FIELDS, type FieldName, type Subsystem } from './fields.js';
export { type AcctOptions } from './options.js';
export { RecordRing } from './ring.js';
export { Query, query } from './query.js';
export { renderReport, summarize, type TokenSummary } from './report.js';
export { httpToken, UNACCOUNTED } from './http-auto.js';
export { startProbe, doneProbe } from './probes.js';
