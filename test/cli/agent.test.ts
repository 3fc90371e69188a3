import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { registry } from '../../src/core/index.js';
import { defineModule } from '../../src/modules/define.js';
import { Agent } from '../../src/agent/agent.js';
import { agentWeaver } from '../../src/agent/linking.js';
import { AgentChannel } from '../../src/agent/channel.js';
import type { AgentContext, AgentMonitor } from '../../src/agent/types.js';
import { SessionReader } from '../../src/consumer/reader.js';
import type { AgentMessage } from '../../src/agent/protocol.js';

const math = defineModule('agent-test-math', {
  add: (a: number, b: number) => a + b,
});

/** An agent writing to a temporary session directory, and a way to read what it wrote. */
function setup(list = false): { agent: Agent; messages: () => AgentMessage[]; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-agent-'));
  const agent = new Agent(new AgentChannel(join(dir, `${process.pid}.ndjson`)), { root: dir, list });
  agent.useWeaver(agentWeaver);
  const seen: AgentMessage[] = [];
  // When each line was sent orders lines across agents (reader.test.ts); here only the content counts.
  const reader = new SessionReader(dir, (_pid, m) => {
    const { at: _at, ...message } = m as AgentMessage & { at?: number };
    seen.push(message as AgentMessage);
  });
  return {
    agent,
    messages: () => {
      reader.poll();
      return seen;
    },
    done: () => {
      reader.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Counts add calls; sends the count since the last flush as its delta and the total as final. */
class CountingMonitor implements AgentMonitor {
  total = 0;
  private sinceFlush = 0;
  ctx: AgentContext | null = null;
  start(ctx: AgentContext): void {
    this.ctx = ctx;
    ctx.link('fn:agent-test-math:add:entry', () => {
      this.total++;
      this.sinceFlush++;
    });
  }
  flush(): unknown {
    const d = this.sinceFlush;
    this.sinceFlush = 0;
    return d === 0 ? undefined : { calls: d };
  }
  finish(): unknown {
    return { calls: this.total };
  }
}

test('deltas on flush, then final value and link stats once at finish; links are gone afterwards', () => {
  const { agent, messages, done } = setup();
  try {
    agent.hello();
    agent.add('count', new CountingMonitor());
    math.add(1, 2);
    math.add(3, 4);
    agent.flush();
    agent.flush();
    math.add(5, 6);
    agent.finish();
    agent.finish();
    assert.equal(registry.lookup('fn', 'agent-test-math', 'add', 'entry')!.enabled, false);
    const m = messages();
    assert.equal(m[0]!.t, 'hello');
    assert.deepEqual(m.slice(1), [
      { t: 'delta', monitor: 'count', data: { calls: 2 } },
      { t: 'delta', monitor: 'count', data: { calls: 1 } },
      { t: 'final', monitor: 'count', data: { calls: 3 } },
      {
        t: 'stats',
        monitor: 'count',
        links: [{ description: 'fn:agent-test-math:add:entry', probes: 1, events: 3, faults: 0, drops: 0, bindings: { direct: 3 } }],
      },
    ]);
  } finally {
    done();
  }
});

test('faults of a linked monitor are counted with the first error; failures to start or finish are reported', async () => {
  const { agent, messages, done } = setup();
  try {
    agent.add('throws', {
      start: (ctx) =>
        void ctx.link('fn:agent-test-math:add:entry', () => {
          throw new RangeError('bad monitor');
        }),
      flush: () => undefined,
      finish: () => {
        throw new Error('no results');
      },
    });
    agent.add('cannot-start', {
      start: () => {
        throw new Error('nope');
      },
      flush: () => undefined,
      finish: () => undefined,
    });
    assert.equal(math.add(1, 1), 2);
    assert.equal(math.add(1, 1), 2);
    await tick();
    agent.finish();
    const m = messages();
    assert.deepEqual(m, [
      { t: 'fault', monitor: 'cannot-start', message: 'monitor cannot-start failed to start: Error: nope' },
      { t: 'fault', monitor: 'throws', message: 'monitor throws threw in finish: Error: no results' },
      {
        t: 'stats',
        monitor: 'throws',
        links: [{ description: 'fn:agent-test-math:add:entry', probes: 1, events: 2, faults: 2, drops: 0, bindings: { direct: 2 } }],
        firstFault: 'RangeError: bad monitor',
      },
    ]);
  } finally {
    done();
  }
});

test('exit() asks mscope to stop and finishes this process at once', () => {
  const { agent, messages, done } = setup();
  try {
    const mon = new CountingMonitor();
    agent.add('count', mon);
    math.add(1, 1);
    mon.ctx!.exit(5);
    math.add(1, 1);
    assert.deepEqual(
      messages().map((x) => x.t),
      ['exit-request', 'delta', 'final', 'stats'],
    );
    assert.equal(mon.total, 1, 'no events after exit');
  } finally {
    done();
  }
});

test('list mode reports every probe of the process at finish', () => {
  const { agent, messages, done } = setup(true);
  try {
    agent.finish();
    const probes = messages().find((x) => x.t === 'probes');
    assert.ok(probes !== undefined && probes.t === 'probes');
    assert.ok(probes.probes.some(([, p, mod, f, n]) => `${p}:${mod}:${f}:${n}` === 'fn:agent-test-math:add:return'));
    assert.ok(messages().some((x) => x.t === 'skipped'));
  } finally {
    done();
  }
});

test('an agent without the weaver (its monitors run in mscope) reports a monitor that links as failed to start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-agent-'));
  try {
    const agent = new Agent(new AgentChannel(join(dir, `${process.pid}.ndjson`)), { root: dir });
    const seen: AgentMessage[] = [];
    const reader = new SessionReader(dir, (_pid, m) => seen.push(m));
    agent.add('count', {
      start: (ctx) => void ctx.link('fn:agent-test-math:add:entry', () => {}),
      flush: () => undefined,
      finish: () => undefined,
    });
    agent.finish();
    reader.poll();
    reader.close();
    assert.deepEqual(
      seen.filter((m) => m.t === 'fault').map((m) => (m as { message: string }).message),
      ['monitor count failed to start: Error: this agent links nothing: its monitors run in mscope'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
