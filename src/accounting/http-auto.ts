import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Activity } from './activity.js';
import type { Accountant } from './accountant.js';
import { F } from './fields.js';
import type { ResolvedOptions } from './options.js';

const ACT = Symbol('mscope.acct.http');
const MARK_IN = Symbol('mscope.acct.in');
const MARK_OUT = Symbol('mscope.acct.out');

/** Set on a server (our exporters' own) whose requests are not activities. */
export const UNACCOUNTED = Symbol.for('mscope.acct.unaccounted');

type MarkedSocket = Socket & { [MARK_IN]?: number; [MARK_OUT]?: number };

interface RequestStart {
  server: { [UNACCOUNTED]?: boolean };
  request: IncomingMessage;
  response: ServerResponse & { [ACT]?: Activity };
  socket: MarkedSocket;
}
type H2Headers = Record<string, string | string[] | number | undefined>;
interface H2StreamStart {
  stream: EventEmitter & { [ACT]?: Activity };
  headers: H2Headers;
}
interface HttpActivity extends Activity {
  netIn0?: number;
  netOut0?: number;
}

/** `METHOD /path` without the query string; the route replaces the path when a framework set one. */
export function httpToken(req: IncomingMessage): string {
  const route = (req as { route?: { path?: unknown } }).route?.path;
  if (typeof route === 'string') return `${req.method} ${route}`;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return `${req.method} ${q < 0 ? url : url.slice(0, q)}`;
}

/** `METHOD /path` of an HTTP/2 request's headers, without the query string. */
function h2Token(headers: H2Headers): string {
  const path = String(headers[':path'] ?? '/');
  const q = path.indexOf('?');
  return `${String(headers[':method'] ?? '')} ${q < 0 ? path : path.slice(0, q)}`;
}

/**
 * Every HTTP server request is an activity, from Node's `http.server.request.start` channel
 * (present on Node 20 and 24) to `http.server.response.finish`. The activity is entered in
 * the channel's subscriber, which runs synchronously just before the 'request' event, so
 * the handler and everything it schedules belong to it. Net bytes are the socket's counters
 * since the previous request on the connection ended (exact unless requests are pipelined).
 * An HTTP/2 stream is one too, from `http2.server.stream.start` (before the 'stream' event) to
 * `http2.server.stream.finish` (Node 22 and later publish them); its streams share their
 * session's socket, so it has no net bytes.
 */
export function installHttpActivities(acct: Accountant, o: ResolvedOptions): () => void {
  if (!o.http) return () => {};
  const net = o.subsystems.net;
  const traceparent = o.traceparent;
  // Requests in flight at teardown keep their bound emit: it must not enter (and so re-enable) accounting.
  const installed = { on: true };
  const onStart = (msg: unknown): void => {
    const { request, response, socket, server } = msg as RequestStart;
    if (server[UNACCOUNTED] === true) return;
    const act = acct.begin(httpToken(request)) as HttpActivity;
    if (traceparent) keepTraceContext(request.rawHeaders, act);
    if (net) {
      // The request's head was read before this channel fires: count from the previous
      // request's end on this connection (or its start).
      act.netIn0 = socket[MARK_IN] ?? 0;
      act.netOut0 = socket[MARK_OUT] ?? 0;
    }
    response[ACT] = act;
    acct.enter(act);
    bindEmitter(acct, request, act, installed);
  };
  const onFinish = (msg: unknown): void => {
    const { request, response, socket } = msg as RequestStart;
    const act = response[ACT] as HttpActivity | undefined;
    if (act === undefined || act.done) return;
    // A framework (express) sets the route during the request: only then has the token changed.
    if ((request as { route?: unknown }).route !== undefined) act.token = httpToken(request);
    if (net && act.netIn0 !== undefined) {
      const bytesIn = socket.bytesRead;
      const bytesOut = socket.bytesWritten;
      act.add(F.netIn, bytesIn - act.netIn0);
      act.add(F.netOut, bytesOut - act.netOut0!);
      socket[MARK_IN] = bytesIn;
      socket[MARK_OUT] = bytesOut;
    }
    acct.end(act);
  };
  const onStreamStart = (msg: unknown): void => {
    const { stream, headers } = msg as H2StreamStart;
    const act = acct.begin(h2Token(headers));
    if (traceparent) keepH2TraceContext(headers, act);
    stream[ACT] = act;
    acct.enter(act);
    bindEmitter(acct, stream, act, installed);
  };
  const onStreamFinish = (msg: unknown): void => {
    const act = (msg as H2StreamStart).stream[ACT];
    if (act !== undefined && !act.done) acct.end(act);
  };
  dc.subscribe('http.server.request.start', onStart);
  dc.subscribe('http.server.response.finish', onFinish);
  dc.subscribe('http2.server.stream.start', onStreamStart);
  dc.subscribe('http2.server.stream.finish', onStreamFinish);
  return () => {
    installed.on = false;
    dc.unsubscribe('http.server.request.start', onStart);
    dc.unsubscribe('http.server.response.finish', onFinish);
    dc.unsubscribe('http2.server.stream.start', onStreamStart);
    dc.unsubscribe('http2.server.stream.finish', onStreamFinish);
  };
}

/**
 * The request's W3C `traceparent` (the first) and `tracestate` (every line, joined by commas
 * as W3C Trace Context says) from the raw header list, in one pass, without building
 * `request.headers` (a lazy object of every header).
 */
function keepTraceContext(raw: readonly string[], act: Activity): void {
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!;
    // Both names start with a 't' (in any case): most headers are passed over without toLowerCase.
    if ((k.charCodeAt(0) | 0x20) !== 0x74) continue;
    if (k.length === 11) {
      if (act.traceparent === null && k.toLowerCase() === 'traceparent') act.traceparent = raw[i + 1]!;
    } else if (k.length === 10 && k.toLowerCase() === 'tracestate') {
      act.tracestate = act.tracestate === null ? raw[i + 1]! : `${act.tracestate},${raw[i + 1]!}`;
    }
  }
}

/** An HTTP/2 request's trace context: its headers are an object with lower-case names, repeated ones joined. */
function keepH2TraceContext(headers: H2Headers, act: Activity): void {
  const parent = headers.traceparent;
  if (parent !== undefined) act.traceparent = String(Array.isArray(parent) ? parent[0] : parent);
  const state = headers.tracestate;
  if (state !== undefined) act.tracestate = Array.isArray(state) ? state.join(',') : String(state);
}

/**
 * A request's later events ('data', 'end') are emitted from the socket's reads, whose async
 * context predates the request: without this, work done in a body handler belongs to no
 * activity (or, on a kept-alive connection, to whichever one the socket last carried). An
 * event nobody listens to runs no code, so it is emitted as it is: each switch is an
 * AsyncLocalStorage frame where AsyncContextFrame backs it.
 */
function bindEmitter(acct: Accountant, request: EventEmitter, act: Activity, installed: { readonly on: boolean }): void {
  const emit = request.emit;
  request.emit = function (this: EventEmitter, ...args: Parameters<EventEmitter['emit']>): boolean {
    if (!installed.on || this.listenerCount(args[0]) === 0) return emit.apply(this, args);
    const prev = acct.current();
    if (prev === act) return emit.apply(this, args);
    acct.enter(act);
    try {
      return emit.apply(this, args);
    } finally {
      acct.enter(prev);
    }
  } as EventEmitter['emit'];
}

/**
 * A TracingChannel's traces as activities, token = channel name. A sync trace ends at `end`
 * (its context then holds `result` or `error`); a promise or callback trace at `asyncEnd`.
 */
export function installTracingActivities(acct: Accountant, o: ResolvedOptions): () => void {
  const undo: (() => void)[] = [];
  for (const name of o.tracingChannels) {
    const ch = dc.tracingChannel(name);
    const acts = new WeakMap<object, Activity>();
    const outer = new WeakMap<object, Activity | null>();
    const handlers = {
      start(ctx: object): void {
        const act = acct.begin(name);
        acts.set(ctx, act);
        outer.set(ctx, acct.current());
        acct.enter(act);
      },
      end(ctx: object): void {
        const act = acts.get(ctx);
        if (act === undefined) return;
        // The traced call returned: what it scheduled keeps `act`, the caller gets its own back.
        acct.enter(outer.get(ctx) ?? null);
        if ('result' in ctx || 'error' in ctx) acct.end(act);
      },
      asyncStart(): void {},
      asyncEnd(ctx: object): void {
        const act = acts.get(ctx);
        if (act !== undefined) acct.end(act);
      },
      error(): void {},
    };
    ch.subscribe(handlers as never);
    undo.push(() => ch.unsubscribe(handlers as never));
  }
  return () => undo.forEach((f) => f());
}
