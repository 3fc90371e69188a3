import { once } from 'node:events';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/**
 * A collector stand-in on loopback that decodes OTLP/HTTP with OpenTelemetry's own message
 * definitions: the opentelemetry-proto messages as generated into @opentelemetry/otlp-transformer
 * 0.57 (installed as `otlp-proto-definitions`), for protobuf bodies and, through `fromObject`,
 * for JSON bodies (whose ids OTLP/JSON spells in hex, not base64).
 */
interface Message {
  decode(body: Uint8Array): unknown;
  fromObject(o: unknown): unknown;
  toObject(m: unknown, o: object): unknown;
}
const require = createRequire(import.meta.url);
const proto = (
  require('otlp-proto-definitions/build/src/generated/root.js') as {
    opentelemetry: { proto: { collector: Record<string, { v1: Record<string, Message> }> } };
  }
).opentelemetry.proto.collector;
const TRACES = proto.trace!.v1.ExportTraceServiceRequest!;
const METRICS = proto.metrics!.v1.ExportMetricsServiceRequest!;

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

function mapIds(o: unknown, f: (id: string) => string): unknown {
  if (Array.isArray(o)) return o.map((x) => mapIds(x, f));
  if (o === null || typeof o !== 'object') return o;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, ID_KEYS.has(k) && typeof v === 'string' ? f(v) : mapIds(v, f)]));
}

export type AnyValue = { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean };
export interface KeyValue {
  key: string;
  value: AnyValue;
}
export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
}
export interface Received {
  path: string;
  contentType: string;
  headers: http.IncomingHttpHeaders;
  /** The request as the definitions decode it: ids in hex, 64-bit integers as strings. */
  body: {
    resourceSpans?: { resource: { attributes: KeyValue[] }; scopeSpans: { spans: Span[] }[] }[];
    resourceMetrics?: { resource: { attributes: KeyValue[] }; scopeMetrics: { metrics: Record<string, unknown>[] }[] }[];
  };
}

export function attrs(list: readonly KeyValue[] | undefined): Record<string, string | number | boolean | undefined> {
  return Object.fromEntries(
    (list ?? []).map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue ?? a.value.boolValue]),
  );
}

export function decode(path: string, contentType: string, body: Buffer): Received['body'] {
  const type = path.includes('metrics') ? METRICS : TRACES;
  let message: unknown;
  if (contentType === 'application/x-protobuf') message = type.decode(body);
  else {
    // fromObject takes the proto3 JSON mapping (64-bit integers as decimal strings); `verify` would not.
    message = type.fromObject(mapIds(JSON.parse(body.toString('utf8')), (hex) => Buffer.from(hex, 'hex').toString('base64')));
  }
  const plain = type.toObject(message, { longs: String, bytes: String, enums: Number });
  return mapIds(plain, (b64) => Buffer.from(b64, 'base64').toString('hex')) as Received['body'];
}

export type Behaviour = { kind: 'ok' } | { kind: 'status'; status: number };

export interface Receiver {
  url: string;
  got: Received[];
  /** Every span received so far. */
  spans(): Span[];
  close(): void;
}

export async function receiver(behaviour: Behaviour = { kind: 'ok' }): Promise<Receiver> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = String(req.headers['content-type']);
      if (behaviour.kind === 'status') {
        res.statusCode = behaviour.status;
        res.end();
        return;
      }
      got.push({ path: req.url!, contentType, headers: req.headers, body: decode(req.url!, contentType, Buffer.concat(chunks)) });
      res.setHeader('content-type', contentType);
      res.end(contentType === 'application/json' ? '{}' : '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    got,
    spans: () => got.flatMap((g) => (g.body.resourceSpans ?? []).flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans))),
    close: () => server.close(),
  };
}
