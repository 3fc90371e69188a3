/**
 * Every piece of text the rewrite inserts is a fragment `/*P:*\/CODE/**\/`, where P is the
 * module's prefix (`$ms`, or `$ms1_`… when the source already contains `$ms`), which occurs
 * nowhere in the original; CODE never contains a comment. A moved `return ` keyword is
 * replaced in place by RETURN_MARK, of the same length. So the original text of any part of
 * a rewritten module is recovered by a pure string operation: `stripFragments`.
 *
 * Runs inside the program's `Function.prototype.toString`, so it uses only functions
 * captured before the program could patch them.
 */

export const RETURN_MARK_PREFIX = '$ms';
export const RETURN_MARK = `/*${RETURN_MARK_PREFIX}*/`;
const CLOSER = '/**/';
const call = Function.prototype.call;
const indexOf = call.bind(String.prototype.indexOf) as (s: string, search: string, from?: number) => number;
const slice = call.bind(String.prototype.slice) as (s: string, from: number, to?: number) => string;
const charCodeAt = call.bind(String.prototype.charCodeAt) as (s: string, at: number) => number;

export function fragment(p: string, code: string): string {
  return `/*${p}:*/${code}${CLOSER}`;
}

/** The original text of `text`, a slice of rewritten code (a function's source). */
export function stripFragments(text: string): string {
  let at = indexOf(text, '/*$ms');
  // A prefix other than the module's may occur in the original text: the module's is the one
  // whose fragments, once removed, leave no occurrence of it.
  while (at >= 0) {
    const p = prefixAt(text, at + 2);
    if (p !== null) {
      const out = strip(text, p);
      if (indexOf(out, p) < 0) return out;
    }
    at = indexOf(text, '/*$ms', at + 1);
  }
  return text;
}

/** `$ms` or `$msN_` followed by `:*\/` or (for `$ms`) `*\/`, at `i`; else null. */
function prefixAt(text: string, i: number): string | null {
  let j = i + 3;
  if (charCodeAt(text, j) !== 42 && charCodeAt(text, j) !== 58) {
    while (charCodeAt(text, j) >= 48 && charCodeAt(text, j) <= 57) j++;
    if (j === i + 3 || charCodeAt(text, j) !== 95) return null;
    j++;
  }
  return slice(text, i, j);
}

function strip(text: string, p: string): string {
  const open = `/*${p}:*/`;
  const mark = p === RETURN_MARK_PREFIX ? RETURN_MARK : null;
  let out = '';
  let last = 0;
  let at = indexOf(text, `/*${p}`);
  while (at >= 0) {
    if (indexOf(text, open, at) === at) {
      // A slice may end inside a fragment: an arrow's source ends at the `}` the rewrite added.
      const end = indexOf(text, CLOSER, at + open.length);
      out += slice(text, last, at);
      last = end < 0 ? text.length : end + CLOSER.length;
    } else if (mark !== null && indexOf(text, mark, at) === at) {
      out += `${slice(text, last, at)}return `;
      last = at + mark.length;
    }
    at = indexOf(text, `/*${p}`, last > at ? last : at + 1);
  }
  return out + slice(text, last);
}
