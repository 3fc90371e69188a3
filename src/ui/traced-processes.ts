import { unknownBinding, controlRequest, type BindingKind, type LinkInfo } from '../weaver/index.js';

export interface ProcessLinks {
  pid: number;
  argv: string[];
  /** Null once the process no longer answers (it exited). */
  links: LinkInfo[] | null;
  error?: string;
}

/** A short wait: the page asks every second, and a process that does not answer has usually exited. */
const ANSWER_MS = 2000;

/** The processes of a live run, reached through their control sockets as `mscope links`/`relink` do. */
export class TracedProcesses {
  private readonly known = new Map<number, string[]>();

  add(pid: number, argv: readonly string[]): void {
    this.known.set(pid, [...argv]);
  }

  async links(): Promise<ProcessLinks[]> {
    return Promise.all(
      [...this.known].map(async ([pid, argv]): Promise<ProcessLinks> => {
        try {
          const r = await controlRequest(pid, { op: 'links' }, ANSWER_MS);
          return r.ok ? { pid, argv, links: r.links ?? [] } : { pid, argv, links: null, error: r.error };
        } catch (e) {
          return { pid, argv, links: null, error: e instanceof Error ? e.message : String(e) };
        }
      }),
    );
  }

  /** Switches one link's binding; a refusal is the process's own one-line reason. */
  async relink(pid: number, link: number, binding: string): Promise<{ ok: true } | { ok: false; error: string }> {
    if (!this.known.has(pid)) return { ok: false, error: `process ${pid} is not traced by this run` };
    const unknown = unknownBinding(binding);
    if (unknown !== null) return { ok: false, error: unknown };
    if (!Number.isInteger(link) || link <= 0) return { ok: false, error: `no link ${link}` };
    try {
      const r = await controlRequest(pid, { op: 'relink', link, binding: binding as BindingKind }, ANSWER_MS);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
}
