import type { ProbeEvent } from 'microscope';

// Every function of the demo's lib/ modules: how often it was called, how often it
// failed, and how long it took (for async functions, until the promise settled).
export const probes = 'fn:lib/*::';

interface Stats {
  calls: number;
  errors: number;
  totalNs: number;
  maxNs: number;
}

const byFunction = new Map<string, Stats>();

function record(ev: ProbeEvent, failed: boolean): void {
  const key = `${ev.probe.module}:${ev.probe.func}`;
  let s = byFunction.get(key);
  if (s === undefined) byFunction.set(key, (s = { calls: 0, errors: 0, totalNs: 0, maxNs: 0 }));
  s.calls++;
  if (failed) s.errors++;
  s.totalNs += ev.elapsed;
  s.maxNs = Math.max(s.maxNs, ev.elapsed);
}

export function onReturn(ev: ProbeEvent): void {
  record(ev, false);
}

export function onError(ev: ProbeEvent): void {
  record(ev, true);
}

export function onExit(out: { write(text: string): void }): void {
  const rows = [...byFunction].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(8, ...rows.map(([k]) => k.length));
  const us = (ns: number): string => (ns / 1000).toFixed(1).padStart(10);
  out.write(
    `  ${'FUNCTION'.padEnd(width)} ${'CALLS'.padStart(6)} ${'ERRORS'.padStart(6)} ${'AVG(us)'.padStart(10)} ${'MAX(us)'.padStart(10)}\n`,
  );
  for (const [key, s] of rows) {
    out.write(
      `  ${key.padEnd(width)} ${String(s.calls).padStart(6)} ${String(s.errors).padStart(6)} ${us(s.totalNs / s.calls)} ${us(s.maxNs)}\n`,
    );
  }
}
