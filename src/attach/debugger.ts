import inspector from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { postNow } from '../core/inspector-post.js';

/**
 * Node 24's V8 crashed the process (SIGSEGV) under load once a function the load called had
 * been live-edited, at the inspector's close or the edit back (test/attach/cycles.test.ts, every
 * run on 24.21): no live edit there, as on Node 26, which has none.
 */
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
export const LIVE_EDIT_OFF =
  NODE_MAJOR === 24 ? 'no live edit on Node 24: its V8 crashed processes under load after one (docs/ATTACH.md)' : null;

/**
 * The agent's own inspector session to its own thread: no port, and every command answers
 * before `post` returns (a same-thread session dispatches synchronously), so callers read
 * results at once. Knows the scripts V8 has compiled, by id.
 */
export class SelfDebugger {
  private readonly session = new inspector.Session();
  private readonly scripts = new Map<string, ParsedScript>();
  private enabled = false;

  constructor() {
    this.session.on('Debugger.scriptParsed', (m: { params: ScriptParsedParams }) => {
      const file = fileOf(m.params.url);
      if (file !== null) this.scripts.set(m.params.scriptId, { id: m.params.scriptId, file, esm: m.params.isModule === true });
    });
  }

  /**
   * Connects and enables the debugger (which lists every script compiled so far) unless it is
   * already. Connected only while needed: a session of ours must not be open when the inspector
   * mscope opened is closed (attach/target.ts), and an idle process pays nothing for it.
   */
  enable(): void {
    if (this.enabled) return;
    this.session.connect();
    this.enabled = true;
    this.post('Debugger.enable', {});
  }

  /** Live edits stay when the session goes; breakpoints go with it. */
  disable(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.post('Debugger.disable', {});
    this.session.disconnect();
  }

  /** Scripts loaded from files (CommonJS and ES modules), as V8 reported them. */
  fileScripts(): readonly ParsedScript[] {
    return [...this.scripts.values()];
  }

  /**
   * One script per file, the one that runs: a live edit (the splicer's, block counts', an
   * earlier attach's) leaves V8 more scripts of the same file, with later ids, holding functions
   * the edit replaced or did not change; the script that runs keeps its id, the file's lowest.
   * Editing those too would edit functions nothing calls and leave V8 more of them each time.
   */
  liveScripts(): ParsedScript[] {
    const byFile = new Map<string, ParsedScript>();
    for (const s of this.scripts.values()) {
      const seen = byFile.get(s.file);
      if (seen === undefined || Number(s.id) < Number(seen.id)) byFile.set(s.file, s);
    }
    return [...byFile.values()];
  }

  source(scriptId: string): string {
    return this.post<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId }).scriptSource;
  }

  /** The script's code is now `source`, or why not, in words for the user: V8 refused (`BlockedByActiveFunction`...), or this Node has no live edit. */
  setSource(scriptId: string, source: string): EditStatus {
    if (LIVE_EDIT_OFF !== null) return { ok: false, reason: LIVE_EDIT_OFF, final: true };
    let r: { status?: string; exceptionDetails?: { text: string } };
    try {
      r = this.post('Debugger.setScriptSource', { scriptId, scriptSource: source });
    } catch (error) {
      const message = error instanceof Error ? error.message.replace(/^Inspector error -?\d+: /, '') : String(error);
      // V8 removed LiveEdit (Node 26): `setScriptSource functionality no longer available`.
      const unavailable = /no longer available/.test(message);
      return {
        ok: false,
        reason: `${unavailable ? `no live edit on Node ${NODE_MAJOR}` : 'V8 refused the live edit'}: ${message}`,
        final: true,
      };
    }
    const status = r.status ?? 'Ok';
    if (status === 'Ok') return { ok: true };
    return {
      ok: false,
      reason: `V8 refused the live edit: ${status === 'CompileError' ? `CompileError: ${r.exceptionDetails?.text ?? ''}` : status}`,
      final: !status.startsWith('Blocked'),
    };
  }

  /** A breakpoint that never pauses: `condition` runs in the frame and yields false. Where it landed, 0-based. */
  setBreakpoint(scriptId: string, line: number, column: number, condition: string): { id: string; line: number; column: number } {
    const r = this.post<{ breakpointId: string; actualLocation: { lineNumber: number; columnNumber?: number } }>('Debugger.setBreakpoint', {
      location: { scriptId, lineNumber: line, columnNumber: column },
      condition,
    });
    return { id: r.breakpointId, line: r.actualLocation.lineNumber, column: r.actualLocation.columnNumber ?? 0 };
  }

  removeBreakpoint(id: string): void {
    this.post('Debugger.removeBreakpoint', { breakpointId: id });
  }

  private post<T>(method: string, params: object): T {
    return postNow(this.session, method, params);
  }
}

export interface ParsedScript {
  readonly id: string;
  readonly file: string;
  readonly esm: boolean;
}

export type EditStatus = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly final: boolean };

interface ScriptParsedParams {
  scriptId: string;
  url: string;
  isModule?: boolean;
}

/** CommonJS scripts are named by path (Node 20) or file URL, ES modules by file URL. */
export function fileOf(url: string): string | null {
  if (url.startsWith('file://')) return fileURLToPath(url);
  return url.startsWith('/') ? url : null;
}
