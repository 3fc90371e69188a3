/**
 * DTrace-style globs: `*` matches any run of characters (including `/` and `.`),
 * `?` one character, `[abc]`/`[a-z]`/`[!a]` a class, `\x` a literal x.
 */
export type Matcher = (s: string) => boolean;

const matchAll: Matcher = () => true;

export function compileGlob(pattern: string): Matcher {
  if (pattern === '' || pattern === '*') return matchAll;
  if (!/[*?[\\]/.test(pattern)) return (s) => s === pattern;
  const re = new RegExp(`^${globToRegExpSource(pattern)}$`, 's');
  return (s) => re.test(s);
}

export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function globToRegExpSource(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '\\' && i + 1 < p.length) out += escapeRe(p[++i]!);
    else if (c === '[') {
      const end = p.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = p.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += escapeRe(c);
  }
  return out;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}
