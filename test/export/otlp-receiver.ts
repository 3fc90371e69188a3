import { once } from 'node:events';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { UNACCOUNTED } from '../../src/accounting/index.js';

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
  traceState?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
}
export interface Received {
  /** The HTTP path, or over gRPC the method's (`/opentelemetry.proto.collector.trace.v1.TraceService/Export`). */
  path: string;
  contentType: string;
  /** HTTP headers, or gRPC metadata. */
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
  // Over gRPC the message is framed by the transport and is the same protobuf.
  let message: unknown;
  if (contentType === 'application/x-protobuf' || contentType === 'application/grpc') message = type.decode(body);
  else {
    // fromObject takes the proto3 JSON mapping (64-bit integers as decimal strings); `verify` would not.
    message = type.fromObject(mapIds(JSON.parse(body.toString('utf8')), (hex) => Buffer.from(hex, 'hex').toString('base64')));
  }
  const plain = type.toObject(message, { longs: String, bytes: String, enums: Number });
  return mapIds(plain, (b64) => Buffer.from(b64, 'base64').toString('hex')) as Received['body'];
}

/** How the stand-in answers: accept, fail with an HTTP status, or (gRPC) hold every call unanswered. */
export type Behaviour = { kind: 'ok' } | { kind: 'status'; status: number } | { kind: 'silent' };

export interface Receiver {
  url: string;
  got: Received[];
  /** Every span received so far. */
  spans(): Span[];
  close(): void;
}

function receiverOf(url: string, got: Received[], close: () => void): Receiver {
  return {
    url,
    got,
    spans: () => got.flatMap((g) => (g.body.resourceSpans ?? []).flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans))),
    close,
  };
}

/** The OTLP collector's two gRPC methods, with the bytes passed through: the test decodes them itself. */
const COLLECTOR_SERVICES = ['trace.v1.TraceService', 'metrics.v1.MetricsService'].map((name) => {
  const bytes = (b: Buffer): Buffer => b;
  const method = {
    path: `/opentelemetry.proto.collector.${name}/Export`,
    requestStream: false,
    responseStream: false,
    requestSerialize: bytes,
    requestDeserialize: bytes,
    responseSerialize: bytes,
    responseDeserialize: bytes,
  };
  return { Export: method } satisfies grpc.ServiceDefinition;
});

/**
 * A gRPC collector stand-in on 127.0.0.1 (plaintext): @grpc/grpc-js serving the OTLP
 * TraceService and MetricsService `Export` methods, decoding with the same definitions.
 */
export async function grpcReceiver(behaviour: Behaviour = { kind: 'ok' }): Promise<Receiver> {
  const got: Received[] = [];
  const held: grpc.sendUnaryData<Buffer>[] = [];
  const server = new grpc.Server();
  for (const service of COLLECTOR_SERVICES) {
    const path = service.Export.path;
    server.addService(service, {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, reply: grpc.sendUnaryData<Buffer>) => {
        if (behaviour.kind === 'silent') {
          held.push(reply);
          return;
        }
        if (behaviour.kind === 'status') {
          reply({ code: behaviour.status, details: 'refused by the test' });
          return;
        }
        const headers = call.metadata.getMap() as http.IncomingHttpHeaders;
        got.push({ path, contentType: 'application/grpc', headers, body: decode(path, 'application/grpc', call.request) });
        // An empty Export*ServiceResponse: no partial_success.
        reply(null, Buffer.alloc(0));
      },
    });
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e === null ? resolve(p) : reject(e))),
  );
  return receiverOf(`http://127.0.0.1:${port}`, got, () => server.forceShutdown());
}

export async function receiver(behaviour: Behaviour = { kind: 'ok' }): Promise<Receiver> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = String(req.headers['content-type']);
      if (behaviour.kind === 'silent') return;
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
  // A test that accounts its own process must not count the exports it receives.
  (server as unknown as Record<symbol, boolean>)[UNACCOUNTED] = true;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return receiverOf(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, () => {
    server.closeAllConnections();
    server.close();
  });
}
