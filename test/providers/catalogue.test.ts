import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registry, type ProbeEvent } from '../../src/core/index.js';
import { RECORDS, type RecordType } from '../../src/providers/catalogue.js';
import { checkRecord } from './helpers.js';

const STABLE = ['http', 'net', 'fs', 'dns', 'gc', 'loop', 'task', 'profile', 'proc'];

test('every stable provider probe declares args[0] as a catalogued record type', () => {
  const probes = registry.list().filter((p) => STABLE.includes(p.provider));
  assert.ok(probes.length > 300, `${probes.length} probes registered`);
  for (const p of probes) {
    const arg = p.args[0];
    assert.ok(arg !== undefined && arg.type in RECORDS, `${p.provider}:${p.module}:${p.func}:${p.name}`);
    assert.deepEqual(
      arg.fields?.map((f) => [f.name, f.type]),
      Object.entries(RECORDS[arg.type as RecordType]),
    );
  }
});

test('field names are snake_case and durations carry their unit', () => {
  for (const [type, fields] of Object.entries(RECORDS)) {
    for (const name of Object.keys(fields)) {
      assert.match(name, /^[a-z][a-z0-9_]*$/, `${type}.${name}`);
      if (/latency|duration|delay|lifetime|run|blocked|active|idle/.test(name)) assert.match(name, /_ns$/, `${type}.${name}`);
    }
  }
});

test('the record check rejects a missing field and a wrong type', () => {
  const probe = registry.lookup('dns', 'lookup', 'callback', 'lookup-done')!;
  const good = { hostname: 'h', family: 4, addresses: ['a'], latency_ns: 1, error: '' };
  const ev = (args: unknown[]): ProbeEvent => ({ probe, args }) as unknown as ProbeEvent;
  assert.equal(checkRecord(ev([good])), '');
  assert.match(checkRecord(ev([{ ...good, error: undefined }])), /error is undefined/);
  const { family: _family, ...missing } = good;
  assert.match(checkRecord(ev([missing])), /declared/);
  assert.match(checkRecord(ev([{ ...good, addresses: [1] }])), /addresses/);
});
