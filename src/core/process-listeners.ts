import { EventEmitter } from 'node:events';

type Listener = (...args: never[]) => unknown;
type Event = 'exit' | 'beforeExit' | 'warning' | 'uncaughtExceptionMonitor' | 'newListener' | 'removeListener' | NodeJS.Signals;

const proto = EventEmitter.prototype;
const apply = Reflect.apply;
const rawListenersOf = (event: string): Listener[] => apply(proto.rawListeners, process, [event]) as Listener[];
/** microScope's own listeners on `process` (a `once` listener is found through its wrapper's `listener`). */
const ours = new WeakSet<object>();
let installed = false;

const isOurs = (l: Listener): boolean => ours.has(l) || ours.has((l as { listener?: object }).listener ?? l);

/** Whether `fn` is one of microScope's listeners on `process`. */
export function isOwnListener(fn: unknown): boolean {
  return typeof fn === 'function' && isOurs(fn as Listener);
}

/**
 * Adds microScope's listener for `event` on `process`, hidden from the program: untraced it
 * would not be there, and programs decide by the listeners they see. signal-exit (under execa,
 * nyc, foreground-child and many more) re-raises a signal only when every listener of it is its
 * own; seeing ours, it left the signal to us, and ours left it to the program's: the process
 * lived on after ^C. `process.listeners()` and `rawListeners()` leave ours out, `eventNames()`
 * the events only ours listen to, and `listenerCount()` counts ours only when nothing else
 * listens: Node's own signal handling closes a signal's handle when the count falls to 0,
 * which would leave ours deaf.
 */
export function onProcess(event: Event, fn: Listener, how: 'on' | 'once' | 'prepend' = 'on'): () => void {
  hideOurs();
  ours.add(fn);
  const f = fn as (...args: unknown[]) => void;
  if (how === 'once') process.once(event, f);
  else if (how === 'prepend') (process as unknown as EventEmitter).prependListener(event, f);
  else process.on(event, f);
  return () => void process.removeListener(event, fn as (...args: unknown[]) => void);
}

/** Whether the program listens to `event` (ours aside). */
export function programListens(event: string): boolean {
  for (const l of rawListenersOf(event)) if (!isOurs(l)) return true;
  return false;
}

function hideOurs(): void {
  if (installed) return;
  installed = true;
  const rawListeners = process.rawListeners;
  const listenerCount = process.listenerCount;
  const eventNames = process.eventNames;
  const own = (name: string, value: unknown): void => {
    Object.defineProperty(process, name, { value, writable: true, enumerable: false, configurable: true });
  };
  for (const name of ['listeners', 'rawListeners'] as const) {
    const original = process[name];
    // A method named as the one it replaces, without a prototype, as the original.
    const method = {
      [name](this: unknown, event: string | symbol): Listener[] {
        const all = apply(original, this, [event]) as Listener[];
        return this === process ? all.filter((l) => !isOurs(l)) : all;
      },
    }[name];
    own(name, method);
  }
  own(
    'eventNames',
    {
      eventNames(this: unknown): (string | symbol)[] {
        const all = apply(eventNames, this, []) as (string | symbol)[];
        if (this !== process) return all;
        return all.filter((e) => (apply(rawListeners, process, [e]) as Listener[]).some((l) => !isOurs(l)));
      },
    }.eventNames,
  );
  own(
    'listenerCount',
    {
      listenerCount(this: unknown, event: string | symbol, listener?: Listener): number {
        const n = apply(listenerCount, this, listener === undefined ? [event] : [event, listener]) as number;
        if (this !== process || listener !== undefined || n === 0) return n;
        let theirs = 0;
        for (const l of apply(rawListeners, process, [event]) as Listener[]) if (!isOurs(l)) theirs++;
        return theirs > 0 ? theirs : n;
      },
    }.listenerCount,
  );
}
