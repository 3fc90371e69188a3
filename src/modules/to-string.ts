import { stripFragments } from './fragments.js';

const nativeToString = Function.prototype.toString;
const apply = Reflect.apply;
const defineProperty = Object.defineProperty;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const NATIVE_SELF = 'function toString() { [native code] }';
/** Our stand-ins for functions the program can reach, by the text of the function they replace. */
const disguised = new WeakMap<object, string>();
const lookUp = Function.prototype.call.bind(WeakMap.prototype.get) as (map: WeakMap<object, string>, key: unknown) => string | undefined;

/**
 * `Function.prototype.toString` as the program would see it untraced: the native text with
 * the rewrite's fragments removed. A method, so that like the native one it has no
 * `prototype`, is not a constructor, and is named `toString` with length 0.
 */
const toString = {
  toString(this: unknown): string {
    if (this === toString) return NATIVE_SELF;
    const text = lookUp(disguised, this);
    if (text !== undefined) return text;
    return stripFragments(apply(nativeToString, this, []) as string);
  },
}.toString;

/**
 * Installed where the rewrite is active; idempotent. True when this call installed it; false
 * too where the program froze Function.prototype (see `toStringHidden`).
 */
export function installToString(): boolean {
  if (Function.prototype.toString === toString) return false;
  if (getOwnPropertyDescriptor(Function.prototype, 'toString')?.configurable !== true) return false;
  defineProperty(Function.prototype, 'toString', { value: toString, writable: true, enumerable: false, configurable: true });
  return true;
}

/** Whether `fn.toString()` hides the rewrite: our stand-in is in place. */
export function toStringHidden(): boolean {
  return Function.prototype.toString === toString;
}

/** Puts back the native toString (an attach's live edits are undone): only over our own stand-in. */
export function uninstallToString(): void {
  if (Function.prototype.toString === toString)
    defineProperty(Function.prototype, 'toString', { value: nativeToString, writable: true, enumerable: false, configurable: true });
}

/** `fn.toString()` gives `original`'s text. */
export function disguise(fn: object, original: object): void {
  disguised.set(fn, apply(nativeToString, original, []) as string);
}
