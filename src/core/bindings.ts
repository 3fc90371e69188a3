/** How a monitor is bound to its probe sites; chosen at link time (docs/BINDINGS.md). */
export type BindingKind = 'direct' | 'shm' | 'message';
export const BINDING_KINDS: readonly BindingKind[] = ['direct', 'shm', 'message'];

/** Null for a binding's name, else the one-line refusal every place that reads a name from a user gives. */
export function unknownBinding(name: unknown): string | null {
  return BINDING_KINDS.includes(name as BindingKind)
    ? null
    : `unknown binding "${String(name)}"; expected one of ${BINDING_KINDS.join(', ')}`;
}

/** What the monitor can see of one feature through a binding. */
export type Fidelity = 'live' | 'copy' | 'text' | 'none';

export interface BindingCapabilities {
  /** Numbers, booleans, null/undefined, bigints. */
  readonly numbers: Fidelity;
  /** Strings: live, or copied up to `strsize` UTF-8 bytes. */
  readonly strings: Fidelity;
  /** Objects and arrays among args. */
  readonly objects: Fidelity;
  readonly thisArg: Fidelity;
  readonly stack: Fidelity;
  readonly retval: Fidelity;
  /** Errors: live, a bounded copy (name, message, stack, own data), or "Name: message" text. */
  readonly error: Fidelity;
  /** Monitor code runs in the application's thread and can change or crash it. */
  readonly sharesFate: boolean;
  /** A hung or crashed monitor is detected and restarted. */
  readonly restartable: boolean;
}

/**
 * Machine-readable form of docs/BINDINGS.md, for the script checker: a script that asks
 * a binding for a feature it cannot give (`none`) is rejected before it runs.
 */
export const BINDING_CAPABILITIES: Readonly<Record<BindingKind, BindingCapabilities>> = {
  direct: {
    numbers: 'live',
    strings: 'live',
    objects: 'live',
    thisArg: 'live',
    stack: 'live',
    retval: 'live',
    error: 'live',
    sharesFate: true,
    restartable: false,
  },
  shm: {
    numbers: 'copy',
    strings: 'copy',
    objects: 'none',
    thisArg: 'none',
    stack: 'none',
    retval: 'copy',
    error: 'text',
    sharesFate: false,
    restartable: false,
  },
  message: {
    numbers: 'copy',
    strings: 'copy',
    objects: 'copy',
    thisArg: 'copy',
    stack: 'none',
    retval: 'copy',
    error: 'copy',
    sharesFate: false,
    restartable: true,
  },
};

export type CapabilityFeature = Exclude<keyof BindingCapabilities, 'sharesFate' | 'restartable'>;

/** Null when `binding` can give `feature`, else a message for the checker to report. */
export function capabilityError(binding: BindingKind, feature: CapabilityFeature): string | null {
  if (BINDING_CAPABILITIES[binding][feature] !== 'none') return null;
  const can = (Object.keys(BINDING_CAPABILITIES) as BindingKind[]).filter((b) => BINDING_CAPABILITIES[b][feature] !== 'none');
  return `the ${binding} binding cannot give ${FEATURE_NAMES[feature]}; use ${can.join(' or ')}`;
}

const FEATURE_NAMES: Record<CapabilityFeature, string> = {
  numbers: 'numeric arguments',
  strings: 'string arguments',
  objects: 'object arguments (only numbers, strings, booleans and bigints are copied)',
  thisArg: '`this`',
  stack: 'stack()',
  retval: 'the return value',
  error: 'the error',
};
