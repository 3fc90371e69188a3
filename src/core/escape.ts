// C0 and C1 controls, DEL, and the Unicode format controls that reorder text (bidi overrides).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\${code.toString(8).padStart(3, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * `s` with every control character written as its C escape, as DTrace's strchr2esc does: `\n`,
 * `\0`, `\033`. What a traced program named a function or put in a string can then never move
 * the cursor, retitle the terminal or forge a line of mscope's output. Display only.
 */
export function escapeText(s: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(s) ? s.replace(CONTROL, escapeOne) : s;
}

/** Like escapeText, but keeps newlines and tabs: for diagnostics that are several lines by design. */
export function escapeDiagnostic(s: string): string {
  CONTROL_BUT_LINES.lastIndex = 0;
  return CONTROL_BUT_LINES.test(s) ? s.replace(CONTROL_BUT_LINES, escapeOne) : s;
}
