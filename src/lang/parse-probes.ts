import { ProbeDescription } from '../core/index.js';
import type { ProbeSpec, SpecialProbe } from './ast.js';
import type { DiagnosticBag } from './diagnostics.js';
import type { Token } from './lexer.js';
import { expandDescription, MACRO_HINT, type MacroArgs } from './macros.js';

const TICK_UNITS: Record<string, number> = {
  ns: 1,
  nsec: 1,
  us: 1e3,
  usec: 1e3,
  ms: 1e6,
  msec: 1e6,
  s: 1e9,
  sec: 1e9,
  m: 60e9,
  min: 60e9,
  h: 3600e9,
  hour: 3600e9,
  d: 86400e9,
  day: 86400e9,
};

/**
 * A probe description token as a clause's probe: macro arguments expanded, BEGIN, END,
 * ERROR and tick-N recognised, anything else parsed into a description. Problems are
 * reported and leave the description null, so parsing goes on.
 */
export function probeSpec(t: Token, file: string, macros: MacroArgs, diags: DiagnosticBag): ProbeSpec {
  const span = { file, start: t.start, end: t.end };
  const text = expandDescription(t.text, macros, (offset, token) =>
    diags.report(
      'D2009',
      { file, start: t.start + offset, end: t.start + offset + token.length },
      [token.replace(/^\$\$/, '$')],
      MACRO_HINT,
    ),
  );
  const special = specialProbe(text);
  if (special === 'bad') {
    diags.report('D2008', span, [text]);
    return { text, span, description: null, special: null };
  }
  if (special !== null) return { text, span, description: null, special };
  try {
    return { text, span, description: ProbeDescription.parse(text), special: null };
  } catch (e) {
    diags.report('D2003', span, [text, e instanceof Error ? e.message.replace(/^probe description "[^"]*"\s*/, '') : String(e)]);
    return { text, span, description: null, special: null };
  }
}

/** BEGIN, END, ERROR and tick-N (also `profile:::tick-N`); 'bad' for a malformed tick. */
export function specialProbe(text: string): SpecialProbe | 'bad' | null {
  const bare = text.replace(/^(dtrace|profile)?:::/, '');
  if (bare === 'BEGIN' || bare === 'END' || bare === 'ERROR') return { kind: bare };
  if (!bare.startsWith('tick-')) return null;
  const m = /^tick-([0-9]+)([a-z]*)$/.exec(bare);
  if (m === null) return 'bad';
  const n = Number(m[1]);
  const unit = m[2]!;
  if (n <= 0) return 'bad';
  if (unit === '' || unit === 'hz') return { kind: 'tick', periodNs: Math.round(1e9 / n) };
  const scale = TICK_UNITS[unit];
  return scale === undefined ? 'bad' : { kind: 'tick', periodNs: n * scale };
}
