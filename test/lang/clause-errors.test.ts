import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CompiledProgram } from '../../src/lang/index.js';
import { defineModule } from '../../src/modules/define.js';
import { ConsumerProgram } from '../../src/consumer/consumer-program.js';
import { AgentProgram } from '../../src/agent/agent-program.js';
import { compiled } from './compiled.js';

const mod = defineModule('clauseerrors', {
  hit(n: number): number {
    return n;
  },
});

function program(text: string): CompiledProgram {
  return compiled('errors.d', text);
}

/** The program with its clauses' code replaced by code that throws as a compiler bug would. */
function buggy(p: CompiledProgram): CompiledProgram {
  return {
    ...p,
    factory: (rt, h) => {
      const set = p.factory(rt, h);
      const bug = new ReferenceError("Cannot access '$t' before initialization");
      return { clauses: set.clauses.map((_fn, i) => (ev: unknown) => rt.fault(i, bug, ev as never)), globals: set.globals };
    },
  };
}

function host() {
  const h = { out: '', warnings: '', failed: 0 };
  return {
    h,
    host: {
      output: (t: string) => void (h.out += t),
      warn: (t: string) => void (h.warnings += t),
      exit: () => {},
      fail: () => void h.failed++,
    },
  };
}

test('a D fault is reported and leaves the exit status alone, as in DTrace', () => {
  const { h, host: hs } = host();
  const inst = ConsumerProgram.solo(program('fn:clauseerrors:hit:entry { x = 1 / arg0; }'), hs);
  inst.start();
  mod.hit(0);
  inst.finish();
  assert.match(h.warnings, /error on enabled probe ID 1 \(fn:clauseerrors:hit:entry\): divide-by-zero/);
  assert.match(h.warnings, /1 error in clauses/);
  assert.equal(h.failed, 0);
});

test('an exception that is not a D fault is a microScope bug: it says so, skips ERROR clauses, and fails the run', () => {
  const { h, host: hs } = host();
  const p = buggy(program('fn:clauseerrors:hit:entry { @n = count(); } ERROR { printf("user error clause\\n"); }'));
  const inst = ConsumerProgram.solo(p, hs);
  inst.start();
  mod.hit(1);
  mod.hit(2);
  inst.finish();
  assert.equal(h.out.includes('user error clause'), false);
  assert.match(h.warnings, /internal error on enabled probe ID 1 \(fn:clauseerrors:hit:entry\): ReferenceError: Cannot access/);
  assert.match(h.warnings, /2 internal errors in clauses \(a microScope bug; please report it\)/);
  assert.ok(h.failed > 0);
});

test("an agent's internal errors reach the consumer, which fails the run", () => {
  const p = buggy(program('fn:clauseerrors:hit:entry { @n = count(); }'));
  const agent = new AgentProgram(p, host().host);
  agent.start();
  mod.hit(1);
  const delta = agent.takeDelta();
  agent.finish();
  assert.equal(delta.internalErrors, 1);
  const { h, host: hs } = host();
  const consumer = new ConsumerProgram(program('fn:clauseerrors:hit:entry { @n = count(); }'), hs);
  consumer.start();
  consumer.applyDelta(delta);
  consumer.finish();
  assert.ok(h.failed > 0);
  assert.match(h.warnings, /1 internal error in clauses/);
});
