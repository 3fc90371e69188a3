import { fireProvided, registry, type Probe, type ProbeArg } from '../core/index.js';
import type { Activity } from './activity.js';
import { FIELDS } from './fields.js';

const ACCT_FIELDS: readonly ProbeArg[] = [
  { name: 'id', type: 'number' },
  { name: 'token', type: 'string' },
  { name: 'start_ns', type: 'number' },
  { name: 'done', type: 'boolean' },
  ...FIELDS.map((f) => ({ name: f.name, type: 'number' })),
  { name: 'metrics', type: 'unknown' },
];
const ACCT_ARGS: readonly ProbeArg[] = [{ name: 'args[0]', type: 'acct_t', fields: ACCT_FIELDS }];

/** `acct:::start` and `acct:::done`; `args[0]` is the activity's record. */
export const startProbe: Probe = registry.register('acct', '', '', 'start', ACCT_ARGS);
export const doneProbe: Probe = registry.register('acct', '', '', 'done', ACCT_ARGS);

export function fireAcct(probe: Probe, act: Activity, record: unknown): void {
  fireProvided(probe, [record], 0, act.id);
}
