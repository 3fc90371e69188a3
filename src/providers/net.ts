import dc from 'node:diagnostics_channel';
import type * as Net from 'node:net';
import type { Socket } from 'node:net';
import { builtin, nowNs, type Probe } from '../core/index.js';
import type { NetSocket } from './catalogue.js';
import { declare, emit, errorCode, HookGroup } from './hooks.js';
import { FunctionPatch, type AnyFunction } from './patch.js';

/**
 * `net:client::connect|close|error` and `net:server::accept|close|error`, for TCP and IPC
 * sockets, from the built-in `net.client.socket` / `net.server.socket` channels (Node ≥ 20),
 * which announce a socket when it is created. `connect` and `close` come from `connect` and
 * `close` listeners added to that socket. No `error` listener is added, since one would
 * swallow an error the application does not handle: `error` fires at close time, from
 * `socket.errored`, when the socket closed because of an error.
 */
const CLIENT = 'net.client.socket';
const SERVER = 'net.server.socket';

/**
 * Before nodejs/node#58349 (in Node 22 and 24 here, not in Node 20) only `net.connect()` announced a client
 * socket: `tls.connect()` (so every https and TLS client) and `new net.Socket().connect()`
 * (pg, for one) were never seen. There `Socket#connect` is wrapped instead, which every one
 * of them calls; whether Node's own publishes is read from its source, which has no side effect.
 */
function socketConnectPublishes(): boolean {
  return builtin<typeof Net>('node:net').Socket.prototype.connect.toString().includes('netClientSocketChannel');
}

/** Decided at the first enabling: the wrapper of `Socket#connect`, or false where Node's publishes. */
let connectPatch: FunctionPatch | false | null = null;

function announceClientSockets(on: boolean): void {
  if (connectPatch === null) {
    connectPatch = socketConnectPublishes()
      ? false
      : new FunctionPatch(
          () => builtin<typeof Net>('node:net').Socket.prototype as unknown as Record<string, unknown>,
          'connect',
          (connect: AnyFunction) =>
            function (this: Socket, ...args: unknown[]): unknown {
              onClientSocket({ socket: this });
              return connect.apply(this, args);
            },
        );
  }
  if (connectPatch === false) {
    if (on) dc.subscribe(CLIENT, onClientSocket);
    else dc.unsubscribe(CLIENT, onClientSocket);
  } else if (on) connectPatch.install();
  else connectPatch.uninstall();
}

interface SocketMessage {
  socket: Socket;
}

interface Side {
  open: Probe;
  close: Probe;
  error: Probe;
}

let client: Side | null = null;
let server: Side | null = null;

export function registerNet(): void {
  if (client !== null) return;
  const clientHooks = new HookGroup(
    () => announceClientSockets(true),
    () => announceClientSockets(false),
  );
  const serverHooks = new HookGroup(
    () => dc.subscribe(SERVER, onServerSocket),
    () => dc.unsubscribe(SERVER, onServerSocket),
  );
  client = {
    open: clientHooks.add(declare('net', 'client', '', 'connect', 'net_socket_t')),
    close: clientHooks.add(declare('net', 'client', '', 'close', 'net_socket_t')),
    error: clientHooks.add(declare('net', 'client', '', 'error', 'net_socket_t')),
  };
  server = {
    open: serverHooks.add(declare('net', 'server', '', 'accept', 'net_socket_t')),
    close: serverHooks.add(declare('net', 'server', '', 'close', 'net_socket_t')),
    error: serverHooks.add(declare('net', 'server', '', 'error', 'net_socket_t')),
  };
}

function record(socket: Socket, born: number): NetSocket {
  return {
    local_address: socket.localAddress ?? '',
    local_port: socket.localPort ?? 0,
    remote_address: socket.remoteAddress ?? '',
    remote_port: socket.remotePort ?? 0,
    bytes_read: socket.bytesRead,
    bytes_written: socket.bytesWritten,
    lifetime_ns: born === 0 ? 0 : nowNs() - born,
    error: '',
  };
}

function onClientSocket(message: unknown): void {
  const { socket } = message as SocketMessage;
  const side = client!;
  const born = nowNs();
  if (side.open.enabled) socket.once('connect', () => side.open.enabled && emit(side.open, record(socket, born)));
  watchClose(socket, side, born);
}

function onServerSocket(message: unknown): void {
  const { socket } = message as SocketMessage;
  const side = server!;
  const born = nowNs();
  if (side.open.enabled) emit(side.open, record(socket, 0));
  watchClose(socket, side, born);
}

/** Addresses are gone once the handle closes, so they are kept from the last time they were known. */
function watchClose(socket: Socket, side: Side, born: number): void {
  if (!side.close.enabled && !side.error.enabled) return;
  let last = socket.remoteAddress === undefined ? null : record(socket, 0);
  const remember = (): void => {
    last = record(socket, 0);
  };
  if (last === null) socket.once('connect', remember);
  socket.once('close', (hadError: boolean) => {
    const r = record(socket, born);
    if (last !== null) {
      r.local_address = last.local_address;
      r.local_port = last.local_port;
      r.remote_address = last.remote_address;
      r.remote_port = last.remote_port;
    }
    if (hadError) {
      const e = socket.errored as (Error & { address?: string; port?: number }) | null;
      r.error = errorCode(e);
      // A refused connect never learnt its peer; the error names it.
      if (r.remote_address === '' && typeof e?.address === 'string') r.remote_address = e.address;
      if (r.remote_port === 0 && typeof e?.port === 'number') r.remote_port = e.port;
      if (side.error.enabled) emit(side.error, r);
    }
    if (side.close.enabled) emit(side.close, r);
  });
}
