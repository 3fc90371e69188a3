import { BINDING_KINDS, type BindingKind } from '../core/bindings.js';
import { formatDuration } from './duration.js';

/** What the links of a session reported: events and batches by binding, drops and faults. */
export interface EffectTotals {
  readonly events: Map<BindingKind, number>;
  /** Batches the events went in, for the bindings that post them (message). */
  readonly batches: Map<BindingKind, number>;
  drops: number;
  faults: number;
}

/**
 * The run's probe effect in one line (DTrace's lesson: a figure is never read without what
 * measuring it cost): events by binding, the time they added to the application's threads
 * estimated as events × this machine's ns per event for their binding (and, for a binding that
 * posts batches, batches × ns per batch), drops and faults.
 * The estimate is a steady per-event cost (consumer/calibration.ts): the prologue, the binding,
 * a counting clause, the collections of what they allocate and the change in the traced
 * functions' own compiled code, averaged over a real program's functions (acorn parsing),
 * probed against a plain copy. Another program's functions cost more or less (real programs
 * measured 0.6 to 3× of it), a remote binding's start and what a direct-bound monitor does
 * beyond counting come on top (docs/benchmarks.md, probe-effect).
 */
export async function probeEffectLine(totals: EffectTotals): Promise<string> {
  const kinds = BINDING_KINDS.filter((k) => (totals.events.get(k) ?? 0) > 0);
  const events = kinds.reduce((n, k) => n + totals.events.get(k)!, 0);
  const tail = `${plural(totals.drops, 'drop')}, ${plural(totals.faults, 'fault')}`;
  if (events === 0) return `mscope: probe effect: 0 events, ${tail}`;
  const counts = kinds.map((k) => `${k} ${totals.events.get(k)!}`).join(', ');
  let estimate: string;
  try {
    const { calibration, settled } = await import('./calibration.js');
    const { ns, halfWidth, batchNs, batchHalfWidth } = await calibration(kinds);
    const batches = (k: BindingKind): number => (batchNs[k] === undefined ? 0 : (totals.batches.get(k) ?? 0));
    const added = kinds.reduce((t, k) => t + totals.events.get(k)! * ns[k]! + batches(k) * (batchNs[k] ?? 0), 0);
    const busy = (k: BindingKind): boolean =>
      !settled(ns[k]!, halfWidth[k]!) || (batchNs[k] !== undefined && !settled(batchNs[k], batchHalfWidth[k]!));
    const per = (k: BindingKind): string => {
      const event = busy(k) ? `${ns[k]!.toFixed(0)} ns/event ± ${halfWidth[k]!.toFixed(0)}` : `${ns[k]!.toFixed(0)} ns/event`;
      const batch =
        batchNs[k] === undefined
          ? ''
          : ` + ${batches(k)} batch${batches(k) === 1 ? '' : 'es'} × ${formatDuration(batchNs[k], 'figures')}${busy(k) ? ` ± ${formatDuration(batchHalfWidth[k]!, 'figures')}` : ''}`;
      return `${k} ${event}${batch}${busy(k) ? ', calibrated on a busy machine and measured again next run' : ''}`;
    };
    estimate = `~${formatDuration(added, 'figures')} added to the application's threads (${kinds.map(per).join(', ')})`;
  } catch (error) {
    estimate = `time added unknown (calibration failed: ${(error as Error).message})`;
  }
  return `mscope: probe effect: ${plural(events, 'event')} (${counts}), ${estimate}, ${tail}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
