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

// isprint() or isspace(), or \b and \a, as dt_print_bytes counts them; other Unicode text is printable here.
const UNPRINTABLE = /[\u0000-\u0006\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * A string as DTrace's trace() prints it (dt_print_bytes): as it is when every character is
 * printable, else as a hex dump of its bytes with a printable column, so that a program's
 * string can never drive the terminal.
 */
export function traceString(s: string): string {
  const text = s.replace(/\0+$/, '');
  if (!UNPRINTABLE.test(text)) return text;
  const bytes = Buffer.from(s);
  const head = [...'0123456789abcdef'].map((c) => `  ${c}`).join('');
  let out = `\n${' '.repeat(11)}${head}  0123456789abcdef\n`;
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = [...row].map((b) => ` ${b.toString(16).padStart(2, '0')}`).join('');
    const chars = [...row].map((b) => (b < 0x20 || b > 0x7e ? '.' : String.fromCharCode(b))).join('');
    out += `${' '.repeat(5)}${i.toString(16).padStart(5)}:${hex}${'   '.repeat(16 - row.length)}  ${chars}\n`;
  }
  return out;
}
