/** Options from `-x`, `#pragma D option` and `setopt()`, with DTrace's defaults. */
export interface ProgramOptions {
  quiet: boolean;
  bufsize: number;
  nspec: number;
  specsize: number;
  strsize: number;
  aggsortkey: boolean;
  aggsortrev: boolean;
  aggsortpos: number;
  aggsortkeypos: number;
  destructive: boolean;
}

export const DEFAULT_OPTIONS: ProgramOptions = {
  quiet: false,
  bufsize: 4 << 20,
  nspec: 1,
  specsize: 4 << 20,
  strsize: 256,
  aggsortkey: false,
  aggsortrev: false,
  aggsortpos: 0,
  aggsortkeypos: 0,
  destructive: false,
};

const SUFFIX: Record<string, number> = { k: 1 << 10, m: 1 << 20, g: 1 << 30, t: 2 ** 40 };

/** `4m` → 4194304; bare numbers are bytes or counts. */
export function parseSize(v: string): number | null {
  const m = /^([0-9]+)([kmgt]?)$/i.exec(v.trim());
  if (m === null) return null;
  return Number(m[1]) * (m[2] === '' ? 1 : SUFFIX[m[2]!.toLowerCase()]!);
}

/** Applies `name=value` settings in order; unknown names are the checker's business. */
export function resolveOptions(settings: Iterable<[string, string]>): ProgramOptions {
  const o: ProgramOptions = { ...DEFAULT_OPTIONS };
  for (const [name, value] of settings) {
    const on = value === '' || value === '1' || value === 'true' || value === 'on';
    switch (name) {
      case 'quiet':
      case 'aggsortkey':
      case 'aggsortrev':
      case 'destructive':
        o[name] = on;
        break;
      case 'bufsize':
      case 'nspec':
      case 'specsize':
      case 'strsize':
      case 'aggsortpos':
      case 'aggsortkeypos': {
        const n = parseSize(value);
        if (n !== null) o[name] = n;
        break;
      }
    }
  }
  return o;
}
