import { compileGlob, type Matcher } from './glob.js';
import { ErrorCode, MscopeError } from './errors.js';
import { escapeText } from './escape.js';

/** The four fields of a probe's name; `ProbeDescription` selects probes by globbing them. */
export interface ProbeName {
  readonly provider: string;
  readonly module: string;
  readonly func: string;
  readonly name: string;
}

/**
 * `provider:module:function:name`, each field a glob, empty matching everything.
 * Fewer than four fields fill from the right, as in DTrace (`read:entry` is `::read:entry`).
 * A field containing `:` is written in double quotes: `dc::"undici:request:create":`.
 */
export class ProbeDescription implements ProbeName {
  readonly provider: string;
  readonly module: string;
  readonly func: string;
  readonly name: string;
  private readonly matchers: readonly [Matcher, Matcher, Matcher, Matcher];

  constructor(
    fields: ProbeName,
    readonly text: string,
  ) {
    this.provider = fields.provider;
    this.module = fields.module;
    this.func = fields.func;
    this.name = fields.name;
    this.matchers = [compileGlob(this.provider), compileGlob(this.module), compileGlob(this.func), compileGlob(this.name)];
  }

  static parse(text: string): ProbeDescription {
    return new ProbeDescription(splitDescription(text), text);
  }

  matches(p: ProbeName): boolean {
    const m = this.matchers;
    return m[0](p.provider) && m[1](p.module) && m[2](p.func) && m[3](p.name);
  }

  /** Whether some probe of this provider could match. */
  matchesProvider(provider: string): boolean {
    return this.matchers[0](provider);
  }

  /** Whether some probe of this provider and name (`entry`, `return`...) could match. */
  matchesProviderAndName(provider: string, name: string): boolean {
    return this.matchers[0](provider) && this.matchers[3](name);
  }

  /** Whether `value` matches field `index` (0 provider, 1 module, 2 function, 3 name). */
  fieldMatches(index: 0 | 1 | 2 | 3, value: string): boolean {
    return this.matchers[index](value);
  }

  /** Whether some probe of this provider and module could match. */
  matchesModule(provider: string, module: string): boolean {
    return this.matchers[0](provider) && this.matchers[1](module);
  }

  toString(): string {
    return this.text;
  }
}

/** A probe's name for display: fields quoted when they hold ':', control characters escaped. */
export function formatProbeName(p: ProbeName): string {
  return escapeText([p.provider, p.module, p.func, p.name].map(quoteField).join(':'));
}

function quoteField(f: string): string {
  return f.includes(':') ? `"${f}"` : f;
}

function splitDescription(text: string): ProbeName {
  const fields: string[] = [];
  let cur = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) {
        throw new MscopeError(ErrorCode.BadDescription, `probe description "${text}": unterminated quote at column ${i + 1}`);
      }
      cur += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === ':') {
      fields.push(cur);
      cur = '';
      i++;
    } else {
      cur += c;
      i++;
    }
  }
  fields.push(cur);
  if (fields.length > 4) {
    throw new MscopeError(
      ErrorCode.BadDescription,
      `probe description "${text}" has ${fields.length} fields; at most 4 (provider:module:function:name)`,
    );
  }
  while (fields.length < 4) fields.unshift('');
  return { provider: fields[0]!, module: fields[1]!, func: fields[2]!, name: fields[3]! };
}
