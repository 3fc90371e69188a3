import type { FaultReport } from './types.js';
import { describeError } from '../core/errors.js';

type FaultListener = (report: FaultReport) => void;
const listeners: FaultListener[] = [];

/** Subscribes to monitor faults; reports arrive on a later tick, never inside the probe site. */
export function onFault(listener: FaultListener): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

const queued: FaultReport[] = [];

export function reportFault(report: FaultReport): void {
  if (queued.push(report) === 1) process.nextTick(flushFaults);
}

/** Delivers queued reports now: at exit no later tick comes, and the listeners must still hear them. */
export function flushFaults(): void {
  for (const report of queued.splice(0)) deliverFault(report);
}

function deliverFault(report: FaultReport): void {
  if (listeners.length === 0) {
    if (report.faults === 1) {
      process.stderr.write(`mscope: monitor of link ${report.linkId} (${report.description}) threw: ${describeError(report.error)}\n`);
    }
    return;
  }
  for (const l of listeners) l(report);
}
