/**
 * DTrace's globs, as libdtrace matches each field of a description: fnmatch(pattern, name, 0).
 * `*` matches any run of characters (including `/` and a leading `.`), `?` any one character,
 * `[abc]`/`[a-z]`/`[!a]`/`[^a]` a class, `\x` a literal x; a `[` without its `]` is literal
 * and a trailing `\` matches nothing. Not picomatch: its globs are paths (`?` and `[^a]`
 * never match `/`, `./` is dropped, `(…)` groups), so it disagrees with fnmatch on `lib?x`.
 */
export type Matcher = (s: string) => boolean;

const matchAll: Matcher = () => true;
const matchNone: Matcher = () => false;

export function compileGlob(pattern: string): Matcher {
  if (pattern === '' || pattern === '*') return matchAll;
  if (!/[*?[\\]/.test(pattern)) return (s) => s === pattern;
  const source = globToRegExpSource(pattern);
  if (source === null) return matchNone;
  const re = new RegExp(`^${source}$`, 's');
  return (s) => re.test(s);
}

export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** The pattern as a regular expression's source; null when it can match nothing (a trailing `\`). */
function globToRegExpSource(p: string): string | null {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '\\') {
      if (++i >= p.length) return null;
      out += literal(p[i]!);
    } else if (c === '[') {
      const cls = bracket(p, i);
      if (cls === null) out += literal(c);
      else {
        out += cls.source;
        i = cls.end;
      }
    } else out += literal(c);
  }
  return out;
}

/** The class opening at `at` as a regular expression class and the index of its `]`; null when unclosed. */
function bracket(p: string, at: number): { source: string; end: number } | null {
  let i = at + 1;
  const negate = p[i] === '!' || p[i] === '^';
  if (negate) i++;
  let items = '';
  for (let first = true; ; first = false) {
    if (i >= p.length) return null;
    let lo = p[i]!;
    if (lo === ']' && !first) break;
    if (lo === '\\' && ++i >= p.length) return null;
    lo = p[i++]!;
    if (p[i] === '-' && i + 1 < p.length && p[i + 1] !== ']') {
      let hi = p[i + 1]!;
      i += 2;
      if (hi === '\\') {
        if (i >= p.length) return null;
        hi = p[i++]!;
      }
      // A reversed range (`[z-a]`) matches nothing, as in fnmatch.
      if (lo <= hi) items += `${unit(lo)}-${unit(hi)}`;
    } else items += unit(lo);
  }
  return { source: `[${negate ? '^' : ''}${items}]`, end: i };
}

function literal(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}

/** One UTF-16 code unit inside a class, written so that no character is special there. */
function unit(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
