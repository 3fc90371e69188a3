import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile, runsInAgents, type CompiledProgram, type Host } from '../../src/lang/index.js';
import { defineModule } from '../../src/modules/define.js';
import { ConsumerProgram } from '../../src/consumer/consumer-program.js';
import { AgentProgram } from '../../src/agent/agent-program.js';
import { compiled } from './compiled.js';

const mod = defineModule('roles', {
  hit(n: number): number {
    return n;
  },
});

function program(text: string): CompiledProgram {
  return compiled('roles.d', text);
}

function host(): Host & { out: string; exits: number[] } {
  const h = {
    out: '',
    exits: [] as number[],
    output(t: string) {
      h.out += t;
    },
    exit(n: number) {
      h.exits.push(n);
    },
  };
  return h;
}

test('agents hand out deltas that a consumer merges, and the consumer runs BEGIN and END', () => {
  const text = 'BEGIN { printf("begin\\n"); } fn:roles:hit:entry { @n = count(); @s[arg0 % 2] = sum(arg0); } END { printf("end\\n"); }';
  const p = program(text);
  const consumer = new ConsumerProgram(p, host());
  const ch = host();
  const c2 = new ConsumerProgram(p, ch);
  c2.start();
  const agentHost = host();
  const a = new AgentProgram(p, agentHost);
  a.start();
  for (let i = 0; i < 4; i++) mod.hit(i);
  const d1 = a.takeDelta();
  for (let i = 0; i < 3; i++) mod.hit(10 + i);
  const d2 = a.takeDelta();
  a.finish();
  mod.hit(99);
  assert.equal(a.takeDelta().aggregations.length, 0, 'a finished agent records nothing');
  assert.equal(agentHost.out, '', "an agent's BEGIN output is discarded");
  c2.applyDelta(d2);
  c2.applyDelta(d1);
  c2.finish();
  assert.equal(ch.out, 'begin\nend\n\n                7\n                1               15\n                0               24\n');
  consumer.stop();
});

test('the consumer links no probes; the agent runs no END', () => {
  const p = program('fn:roles:hit:entry { @n = count(); } END { printf("end\\n"); }');
  const h = host();
  const c = new ConsumerProgram(p, h);
  c.start();
  mod.hit(1);
  assert.equal(c.instance.takeDelta().aggregations.length, 0);
  const ah = host();
  const a = new AgentProgram(p, ah);
  a.start();
  mod.hit(1);
  a.finish();
  assert.equal(ah.out, '');
  c.finish();
  assert.equal(h.out, 'end\n');
});

test('exit() in BEGIN calls host.exit and links nothing', () => {
  const p = program('BEGIN { exit(7); } fn:roles:hit:entry { @n = count(); }');
  const h = host();
  const s = ConsumerProgram.solo(p, h);
  s.start();
  assert.deepEqual(h.exits, [7]);
  assert.equal(s.exitStatus, 7);
  assert.equal(s.linkHandles.length, 0);
  mod.hit(1);
  s.finish();
  assert.equal(h.out, '');
});

test('one link per probe description, in clause order', () => {
  const p = program('fn:roles:hit:entry, fn:roles:hit:return { @a = count(); } fn:roles::entry { @b = count(); }');
  const s = ConsumerProgram.solo(p, host());
  s.start();
  assert.deepEqual(
    s.linkHandles.map((l) => l.description.text),
    ['fn:roles:hit:entry', 'fn:roles:hit:return', 'fn:roles::entry'],
  );
  s.stop();
});

test('per-clause binding capabilities are recorded', () => {
  const p = program(
    'fn:roles:hit:entry { @n = count(); } fn:roles:hit:entry { printf("%s\\n", stack()); } fn:roles:hit:return { this->y = 1; self->x = this->y + args[0].z; }',
  );
  assert.deepEqual(p.clauses[0]!.capabilities, []);
  assert.ok(p.clauses[1]!.capabilities.includes('stack'));
  assert.ok(p.clauses[1]!.capabilities.includes('strings'));
  assert.ok(p.clauses[2]!.capabilities.includes('live-objects'));
  assert.ok(p.clauses[2]!.capabilities.includes('self'));
});

test('-x options override pragmas', () => {
  const r = compile([{ file: 'o.d', text: '#pragma D option nspec=2\n#pragma D option strsize=16\nBEGIN { x = 1; }' }], {
    options: [['nspec', '4']],
  });
  assert.equal(r.program!.options.nspec, 4);
  assert.equal(r.program!.options.strsize, 16);
});

/** What a program prints running alone in mscope, with `-x strsize=N` and quiet. */
function soloOutput(text: string, strsize: number): string {
  const p = compile([{ file: 's.d', text }], {
    options: [
      ['strsize', String(strsize)],
      ['quiet', ''],
    ],
  }).program!;
  const h = host();
  const s = ConsumerProgram.solo(p, h);
  s.start();
  s.finish();
  return h.out;
}

test('strsize bounds strings', () => {
  assert.equal(soloOutput('BEGIN { printf("%s\\n", strjoin("abcdef", "ghijkl")); }', 8), 'abcdefgh\n');
});

test('sizeof (string) and a struct with a string member follow -x strsize, as DTrace resizes its string type', () => {
  const text = 'struct r { string s; int n; }; BEGIN { printf("%d %d %d\\n", sizeof (string), sizeof (struct r), sizeof (execname)); }';
  assert.equal(soloOutput(text, 32), '32 36 32\n');
});

test('a fault never reaches the traced function', () => {
  const p = program('fn:roles:hit:entry { x = arg0 / (arg0 - arg0); } fn:roles:hit:entry { y = json("{", "a"); }');
  const h = host();
  const warnings: string[] = [];
  const s = ConsumerProgram.solo(p, { ...h, warn: (t) => warnings.push(t) });
  s.start();
  assert.equal(mod.hit(5), 5);
  s.finish();
  assert.deepEqual(warnings, [
    'error on enabled probe ID 1 (fn:roles:hit:entry): divide-by-zero\n',
    'error on enabled probe ID 2 (fn:roles:hit:entry): invalid-json\n',
    '2 errors in clauses\n',
  ]);
});

test('globals set by probe clauses reach the consumer with the deltas; the last delta applied wins', () => {
  const text = `BEGIN { b = 7; }
    fn:roles:hit:entry { n = arg0; s = "x"; a[arg0] = arg0 + 1; }
    fn:roles:hit:entry /arg0 == 2/ { g["k"] = 1; }
    fn:roles:hit:entry /arg0 == 1/ { g["k"] = 0; }
    END { printf("%d %d %s %d %d %d %d\\n", b, n, s, a[1], a[2], a[5], g["k"]); }`;
  const p = program(text);
  const consumerHost = host();
  const consumer = new ConsumerProgram(p, consumerHost);
  consumer.start();
  const one = new AgentProgram(p, host());
  one.start();
  assert.equal(one.takeDelta().globals, undefined, "BEGIN's values are the consumer's already");
  mod.hit(2);
  mod.hit(0);
  const d1 = one.takeDelta();
  mod.hit(1);
  const d2 = one.takeDelta();
  assert.equal(one.takeDelta().globals, undefined, 'nothing changed since the last delta');
  one.finish();
  const other = new AgentProgram(p, host());
  other.start();
  mod.hit(5);
  const d3 = other.takeDelta();
  other.finish();
  consumer.applyDelta(d1);
  consumer.applyDelta(d3);
  consumer.applyDelta(d2);
  consumer.finish();
  // n: d2 came last; a[1] from d2, a[2] from d1, a[5] from the other process; g["k"] was
  // set in d1 and freed (stored 0) in d2.
  assert.equal(consumerHost.out, '7 1 x 2 3 6 0\n');
});

test('a program runs in agents when it has BEGIN or a probe clause; END, tick-N and ERROR alone run in mscope', () => {
  const runs = (text: string): boolean => runsInAgents(program(text));
  assert.equal(runs('END { printf("x"); }'), false);
  assert.equal(runs('tick-1s { exit(0); } END {}'), false);
  assert.equal(runs('ERROR { printf("e"); } END {}'), false);
  assert.equal(runs('BEGIN { x = 1; } END {}'), true);
  assert.equal(runs('fn:roles:hit:entry { @n = count(); }'), true);
  assert.equal(runs('profile-99 { @n = count(); }'), true);
});

test('a global in memory (its address taken) reaches the consumer as its bytes', () => {
  const text = `int v[4]; int *p; struct pair { int a; int b; } s;
    BEGIN { p = &v[0]; }
    fn:roles:hit:entry { p[arg0] = arg0 * 10; this->q = &s.b; *this->q = arg0; }
    END { printf("%d %d %d %d %d\\n", v[1], v[2], v[3], s.b, &v[3] - &v[1]); }`;
  const p = program(text);
  const consumerHost = host();
  const consumer = new ConsumerProgram(p, consumerHost);
  consumer.start();
  const agent = new AgentProgram(p, host());
  agent.start();
  assert.equal(agent.takeDelta().globals, undefined, "BEGIN's values are the consumer's already");
  mod.hit(1);
  mod.hit(3);
  const d = agent.takeDelta();
  agent.finish();
  consumer.applyDelta(d);
  consumer.finish();
  assert.equal(consumerHost.out, '10 0 30 3 2\n');
});
