import type { Session } from 'node:inspector';

/**
 * A command on an inspector session connected to this thread, which answers before `post`
 * returns (a same-thread session dispatches synchronously): its result, or its error thrown.
 */
export function postNow<T>(session: Session, method: string, params: object = {}): T {
  let result: { error: Error | null; value: T } | null = null;
  session.post(method, params, (error, value) => (result = { error, value: value as T }));
  const r = result as { error: Error | null; value: T } | null;
  if (r === null) throw new Error(`the inspector did not answer ${method} at once`);
  if (r.error !== null) throw r.error;
  return r.value;
}
