/**
 * Node's built-in channels and the first release of each line that publishes them
 * (read from the official binaries; see shared/reference/node-ecosystem.md). `since` maps
 * a major version to the first minor with the channel; a missing major means absent.
 */
export interface BuiltinChannel {
  readonly name: string;
  readonly tracing: boolean;
  readonly since: Readonly<Record<number, number>>;
}

const ALL = { 20: 0, 22: 0, 24: 0 };
const FROM_22 = { 22: 4, 24: 0 };

export const BUILTIN_CHANNELS: readonly BuiltinChannel[] = [
  { name: 'http.client.request.start', tracing: false, since: ALL },
  { name: 'http.client.response.finish', tracing: false, since: ALL },
  { name: 'http.server.request.start', tracing: false, since: ALL },
  { name: 'http.server.response.finish', tracing: false, since: ALL },
  { name: 'http.client.request.error', tracing: false, since: { 20: 17, 22: 8, 24: 0 } },
  { name: 'http.client.request.created', tracing: false, since: { 22: 12, 24: 0 } },
  { name: 'http.server.response.created', tracing: false, since: { 22: 12, 24: 0 } },
  { name: 'net.client.socket', tracing: false, since: ALL },
  { name: 'net.server.socket', tracing: false, since: ALL },
  { name: 'udp.socket', tracing: false, since: ALL },
  { name: 'child_process', tracing: false, since: ALL },
  { name: 'worker_threads', tracing: false, since: ALL },
  { name: 'net.server.listen', tracing: true, since: { 20: 16, 22: 4, 24: 0 } },
  { name: 'module.require', tracing: true, since: FROM_22 },
  { name: 'module.import', tracing: true, since: FROM_22 },
  { name: 'child_process.spawn', tracing: true, since: { 24: 15 } },
  { name: 'console.log', tracing: false, since: { 22: 14, 24: 0 } },
  { name: 'console.info', tracing: false, since: { 22: 14, 24: 0 } },
  { name: 'console.debug', tracing: false, since: { 22: 14, 24: 0 } },
  { name: 'console.warn', tracing: false, since: { 22: 14, 24: 0 } },
  { name: 'console.error', tracing: false, since: { 22: 14, 24: 0 } },
  { name: 'process.execve', tracing: false, since: { 22: 15, 24: 0 } },
  { name: 'undici:request:create', tracing: false, since: ALL },
  { name: 'undici:request:bodySent', tracing: false, since: ALL },
  { name: 'undici:request:headers', tracing: false, since: ALL },
  { name: 'undici:request:trailers', tracing: false, since: ALL },
  { name: 'undici:request:error', tracing: false, since: ALL },
  { name: 'undici:client:sendHeaders', tracing: false, since: ALL },
  { name: 'undici:client:beforeConnect', tracing: false, since: ALL },
  { name: 'undici:client:connected', tracing: false, since: ALL },
  { name: 'undici:client:connectError', tracing: false, since: ALL },
];

/** Odd and newer majors follow the closest even line below them: present if it ever had the channel. */
export function channelPresent(c: BuiltinChannel, version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const exact = c.since[major];
  if (exact !== undefined) return minor >= exact;
  const lines = Object.keys(c.since)
    .map(Number)
    .filter((m) => m < major);
  return lines.length > 0;
}
