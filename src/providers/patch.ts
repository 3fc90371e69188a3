import { syncBuiltinESMExports } from 'node:module';

export type AnyFunction = (...args: unknown[]) => unknown;

/**
 * One function property of a core module object, replaced by a wrapper while its probes
 * are enabled. Installing and removing re-sync the ESM named exports of core modules, so
 * `import { readFile } from 'node:fs'` sees the same function as `fs.readFile`.
 */
export class FunctionPatch {
  private original: AnyFunction | null = null;
  private wrapper: AnyFunction | null = null;

  constructor(
    /** The object, or how to get it when first installed (a built-in loaded only then). */
    private readonly holder: Record<string, unknown> | (() => Record<string, unknown>),
    readonly key: string,
    private readonly makeWrapper: (original: AnyFunction) => AnyFunction,
  ) {}

  get target(): Record<string, unknown> {
    return typeof this.holder === 'function' ? this.holder() : this.holder;
  }

  install(): void {
    const current = this.target[this.key] as AnyFunction;
    if (this.wrapper !== null && current === this.wrapper) return;
    this.original = current;
    this.wrapper = copyIdentity(this.makeWrapper(current), current);
    this.target[this.key] = this.wrapper;
    syncBuiltinESMExports();
  }

  /** If someone wrapped our wrapper since, it stays in their chain; it is inert while disabled. */
  uninstall(): void {
    if (this.wrapper === null || this.target[this.key] !== this.wrapper) return;
    this.target[this.key] = this.original;
    this.wrapper = null;
    syncBuiltinESMExports();
  }
}

/** The wrapper keeps the original's `name`, `length` and own properties (`realpath.native`). */
export function copyIdentity(wrapper: AnyFunction, fn: AnyFunction): AnyFunction {
  for (const key of Reflect.ownKeys(fn)) {
    if (key === 'prototype') continue;
    Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(fn, key)!);
  }
  return wrapper;
}
