import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { nowNs, type Probe } from '../core/index.js';
import type { HttpRequest } from './catalogue.js';
import { declare, emit, errorCode, HookGroup } from './hooks.js';

/**
 * `http:server::request-start|request-done` and `http:client::request-start|request-done`,
 * from Node's built-in `http.*` channels (present on every Node ≥ 20).
 * `http.client.request.error` exists from 20.17; before that, a failed client request
 * fires no request-done. `fetch()` does not go through node:http: its client requests come
 * from undici's channels (Node's bundled copy and the npm package's publish the same names).
 * HTTP/2 streams come from the `http2.*.stream.*` channels, which Node 20 does not have.
 */
const SERVER_START = 'http.server.request.start';
const SERVER_DONE = 'http.server.response.finish';
const CLIENT_START = 'http.client.request.start';
const CLIENT_DONE = 'http.client.response.finish';
const CLIENT_ERROR = 'http.client.request.error';
const UNDICI_START = 'undici:request:create';
const UNDICI_SOCKET = 'undici:client:sendHeaders';
const UNDICI_DONE = 'undici:request:headers';
const UNDICI_ERROR = 'undici:request:error';
const H2_SERVER_START = 'http2.server.stream.start';
const H2_SERVER_DONE = 'http2.server.stream.finish';
const H2_CLIENT_START = 'http2.client.stream.start';
const H2_CLIENT_DONE = 'http2.client.stream.finish';
const H2_CLIENT_ERROR = 'http2.client.stream.error';

interface ServerMessage {
  request: IncomingMessage & { route?: { path?: unknown }; baseUrl?: unknown };
  response: ServerResponse;
  socket: Socket;
}
interface ClientMessage {
  request: ClientRequest;
  response?: IncomingMessage;
  error?: NodeJS.ErrnoException;
}
interface UndiciRequest {
  origin: unknown;
  method: string;
  path: string;
}
type H2Headers = Record<string, string | string[] | number | undefined>;
interface H2Message {
  stream: { session?: { socket?: Socket | null } | undefined };
  /** start: the request's headers; finish: the response's. */
  headers?: H2Headers;
  error?: NodeJS.ErrnoException;
}
interface UndiciMessage {
  request: UndiciRequest;
  response?: { statusCode: number };
  error?: NodeJS.ErrnoException;
  socket?: Socket;
}

/** Socket byte counters at the end of the previous exchange on that (keep-alive) socket. */
interface SocketMark {
  read: number;
  written: number;
}

const startTimes = new WeakMap<object, number>();
const marks = new WeakMap<Socket, SocketMark>();
/** The socket an undici request was sent on (its other messages do not carry it). */
const undiciSockets = new WeakMap<object, Socket>();
/** An HTTP/2 stream's request headers, from its start: its finish carries the response's. */
const h2Requests = new WeakMap<object, H2Headers>();
/** Undici requests and HTTP/2 client streams whose response has come: an error after it (the body's) is not a second request-done. */
const answered = new WeakSet<object>();

let probes: { serverStart: Probe; serverDone: Probe; clientStart: Probe; clientDone: Probe } | null = null;

export function registerHttp(): void {
  if (probes !== null) return;
  const server = new HookGroup(
    () => {
      dc.subscribe(SERVER_START, onServerStart);
      dc.subscribe(SERVER_DONE, onServerDone);
      dc.subscribe(H2_SERVER_START, onH2ServerStart);
      dc.subscribe(H2_SERVER_DONE, onH2ServerDone);
    },
    () => {
      dc.unsubscribe(SERVER_START, onServerStart);
      dc.unsubscribe(SERVER_DONE, onServerDone);
      dc.unsubscribe(H2_SERVER_START, onH2ServerStart);
      dc.unsubscribe(H2_SERVER_DONE, onH2ServerDone);
    },
  );
  const client = new HookGroup(
    () => {
      dc.subscribe(CLIENT_START, onClientStart);
      dc.subscribe(CLIENT_DONE, onClientDone);
      dc.subscribe(CLIENT_ERROR, onClientError);
      dc.subscribe(UNDICI_START, onUndiciStart);
      dc.subscribe(UNDICI_SOCKET, onUndiciSocket);
      dc.subscribe(UNDICI_DONE, onUndiciDone);
      dc.subscribe(UNDICI_ERROR, onUndiciError);
      dc.subscribe(H2_CLIENT_START, onH2ClientStart);
      dc.subscribe(H2_CLIENT_DONE, onH2ClientDone);
      dc.subscribe(H2_CLIENT_ERROR, onH2ClientError);
    },
    () => {
      dc.unsubscribe(CLIENT_START, onClientStart);
      dc.unsubscribe(CLIENT_DONE, onClientDone);
      dc.unsubscribe(CLIENT_ERROR, onClientError);
      dc.unsubscribe(UNDICI_START, onUndiciStart);
      dc.unsubscribe(UNDICI_SOCKET, onUndiciSocket);
      dc.unsubscribe(UNDICI_DONE, onUndiciDone);
      dc.unsubscribe(UNDICI_ERROR, onUndiciError);
      dc.unsubscribe(H2_CLIENT_START, onH2ClientStart);
      dc.unsubscribe(H2_CLIENT_DONE, onH2ClientDone);
      dc.unsubscribe(H2_CLIENT_ERROR, onH2ClientError);
    },
  );
  probes = {
    serverStart: server.add(declare('http', 'server', '', 'request-start', 'http_request_t')),
    serverDone: server.add(declare('http', 'server', '', 'request-done', 'http_request_t')),
    clientStart: client.add(declare('http', 'client', '', 'request-start', 'http_request_t')),
    clientDone: client.add(declare('http', 'client', '', 'request-done', 'http_request_t')),
  };
}

function record(method: string, url: string, socket: Socket | null): HttpRequest {
  return {
    method,
    url,
    route: '',
    status: 0,
    bytes_in: 0,
    bytes_out: 0,
    latency_ns: 0,
    remote_address: socket?.remoteAddress ?? '',
    remote_port: socket?.remotePort ?? 0,
    error: '',
  };
}

/** Wire bytes (headers and body) since the previous exchange on the same socket ended. */
function countBytes(r: HttpRequest, socket: Socket | null): void {
  if (socket === null) return;
  const mark = marks.get(socket);
  const read = socket.bytesRead;
  const written = socket.bytesWritten;
  r.bytes_in = read - (mark?.read ?? 0);
  r.bytes_out = written - (mark?.written ?? 0);
  if (mark === undefined) marks.set(socket, { read, written });
  else {
    mark.read = read;
    mark.written = written;
  }
}

function onServerStart(message: unknown): void {
  const { request, socket } = message as ServerMessage;
  startTimes.set(request, nowNs());
  const p = probes!.serverStart;
  if (p.enabled) emit(p, record(request.method ?? '', request.url ?? '', socket));
}

function onServerDone(message: unknown): void {
  const p = probes!.serverDone;
  if (!p.enabled) return;
  const { request, response, socket } = message as ServerMessage;
  const r = record(request.method ?? '', request.url ?? '', socket);
  r.route = routeOf(request);
  r.status = response.statusCode;
  countBytes(r, socket);
  const start = startTimes.get(request);
  r.latency_ns = start === undefined ? 0 : nowNs() - start;
  emit(p, r);
}

/** Express (and routers that copy it) leave the matched route on the request. */
function routeOf(request: ServerMessage['request']): string {
  const path = request.route?.path;
  if (typeof path !== 'string') return '';
  return typeof request.baseUrl === 'string' ? request.baseUrl + path : path;
}

/** The Host header carries the port (`req.host` does not); it is set by default. */
function clientUrl(req: ClientRequest): string {
  const host = req.getHeader('host');
  return `${req.protocol}//${typeof host === 'string' ? host : req.host}${req.path}`;
}

function onClientStart(message: unknown): void {
  const { request } = message as ClientMessage;
  startTimes.set(request, nowNs());
  const p = probes!.clientStart;
  if (p.enabled) emit(p, record(request.method, clientUrl(request), request.socket));
}

function clientDone(key: object, method: string, url: string, socket: Socket | null, status: number, error: string): void {
  const r = record(method, url, socket);
  r.status = status;
  r.error = error;
  // For a client, bytes_in is what the response brought and bytes_out what the request sent.
  countBytes(r, socket);
  const start = startTimes.get(key);
  r.latency_ns = start === undefined ? 0 : nowNs() - start;
  emit(probes!.clientDone, r);
}

function onClientDone(message: unknown): void {
  if (!probes!.clientDone.enabled) return;
  const { request, response } = message as ClientMessage;
  clientDone(request, request.method, clientUrl(request), request.socket, response?.statusCode ?? 0, '');
}

function onClientError(message: unknown): void {
  if (!probes!.clientDone.enabled) return;
  const { request, error } = message as ClientMessage;
  clientDone(request, request.method, clientUrl(request), request.socket, 0, errorCode(error));
}

/** undici's origin is `protocol//host:port`, its path the request target. */
function undiciUrl(request: UndiciRequest): string {
  return `${String(request.origin)}${request.path}`;
}

function onUndiciStart(message: unknown): void {
  const { request } = message as UndiciMessage;
  startTimes.set(request, nowNs());
  const p = probes!.clientStart;
  if (p.enabled) emit(p, record(request.method, undiciUrl(request), null));
}

function onUndiciSocket(message: unknown): void {
  const { request, socket } = message as UndiciMessage;
  if (socket !== undefined) undiciSockets.set(request, socket);
}

function onUndiciDone(message: unknown): void {
  const { request, response } = message as UndiciMessage;
  answered.add(request);
  if (!probes!.clientDone.enabled) return;
  clientDone(request, request.method, undiciUrl(request), undiciSockets.get(request) ?? null, response?.statusCode ?? 0, '');
}

function onUndiciError(message: unknown): void {
  const { request, error } = message as UndiciMessage;
  if (answered.has(request) || !probes!.clientDone.enabled) return;
  clientDone(request, request.method, undiciUrl(request), undiciSockets.get(request) ?? null, 0, errorCode(error));
}

const header = (headers: H2Headers | undefined, name: string): string => {
  const v = headers?.[name];
  return v === undefined ? '' : String(v);
};

/** The client's url in node:http's form, `protocol//host/path`; the server's is the path. */
function h2Url(headers: H2Headers | undefined, client: boolean): string {
  const path = header(headers, ':path');
  return client ? `${header(headers, ':scheme')}://${header(headers, ':authority')}${path}` : path;
}

function h2Socket(message: H2Message): Socket | null {
  return message.stream.session?.socket ?? null;
}

/** A stream's record at its end; bytes stay 0: the streams of a session share its socket. */
function h2Record(message: H2Message, client: boolean, status: number, error: string): HttpRequest {
  const { stream } = message;
  const request = h2Requests.get(stream);
  const r = record(header(request, ':method'), h2Url(request, client), h2Socket(message));
  r.status = status;
  r.error = error;
  const start = startTimes.get(stream);
  r.latency_ns = start === undefined ? 0 : nowNs() - start;
  return r;
}

function h2Start(message: unknown, p: Probe, client: boolean): void {
  const m = message as H2Message;
  startTimes.set(m.stream, nowNs());
  if (m.headers !== undefined) h2Requests.set(m.stream, m.headers);
  if (p.enabled) emit(p, record(header(m.headers, ':method'), h2Url(m.headers, client), h2Socket(m)));
}

function onH2ServerStart(message: unknown): void {
  h2Start(message, probes!.serverStart, false);
}

function onH2ClientStart(message: unknown): void {
  h2Start(message, probes!.clientStart, true);
}

function onH2ServerDone(message: unknown): void {
  const p = probes!.serverDone;
  if (!p.enabled) return;
  const m = message as H2Message;
  emit(p, h2Record(m, false, Number(header(m.headers, ':status')) || 0, ''));
}

function onH2ClientDone(message: unknown): void {
  const m = message as H2Message;
  answered.add(m.stream);
  const p = probes!.clientDone;
  if (!p.enabled) return;
  emit(p, h2Record(m, true, Number(header(m.headers, ':status')) || 0, ''));
}

function onH2ClientError(message: unknown): void {
  const m = message as H2Message;
  const p = probes!.clientDone;
  if (answered.has(m.stream) || !p.enabled) return;
  emit(p, h2Record(m, true, 0, errorCode(m.error)));
}
