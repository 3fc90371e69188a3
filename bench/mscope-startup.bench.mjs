// Start-up of mscope itself and of the process it traces, against the same program run plainly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/mscope.js', import.meta.url));
const RUNNER_CHILDREN = 10;

export const title = 'start-up of mscope and of a traced process';
export const description = `
Each sample is the wall time of one command, from spawning it until it exits; the variants of
a case alternate. \`one.js\` prints one line; \`fn.js\` calls one function that prints it.
\`mscope run END\`: \`mscope run -q -e 'END {}' -- node one.js\`, a program that runs in
mscope alone, so the traced process loads the agent but no compiler or provider.
\`mscope run fn\`: \`mscope run -q -e 'fn::main:entry { @n = count(); }' -- node fn.js\`,
where the traced process compiles the program and installs the load-time rewrite.
\`mscope --version\` loads no command. Two Node starts are the floor of a traced run;
\`launcher\` measures that floor here: a CommonJS file that spawns Node on the same program with
inherited stdio and exits with its status (what any Node tool that starts CMD pays: two Node
starts, the spawn, the wait, and both processes' teardown), so the part of a traced run that is
mscope's own is its difference from \`launcher\`, not from twice \`node\`.
\`runner.js\` is a test runner that starts one Node per test file: ${RUNNER_CHILDREN} \`node one.js\` one
after another; \`mscope run runner\` traces it with \`-q -e 'END {}'\`, so every child loads the
agent, and mscope's own start-up is shared by the ${RUNNER_CHILDREN}.

This machine's environment sets \`NODE_EXTRA_CA_CERTS\` (to the system's 200 KB CA bundle), and
Node 20 reads and parses that file at every start: \`node one.js\` 69 ms with it against 28
without, \`mscope run END\` 180 against 97 (2.61× and 3.46×; 10 alternated runs each,
2026-12-05); Node 26 reads it only when TLS first needs it (29 and 30 ms). The benchmark runs in
the environment as it finds it (the run's line above names the variable when set), so on Node 20
each of a traced run's two Node starts carries those 41 ms, and what is mscope's own (about 40 ms
over two bare starts) weighs less in the ratio than on a machine without it.

What start-up is made of (Node 20; modules counted with a load hook, every URL including
\`node:\` built-ins; time from \`--cpu-prof\` and from importing each part alone): past Node's
own start, nearly all of it is loading ES modules, each costing about 1.5 to 2 ms of wall
time on this machine to resolve, read, compile and link (one alone, on a loaded machine), so
what counts is how many modules a process loads.

| process | modules, all commands eager | before issue 16 | now | what they are now |
| --- | ---: | ---: | ---: | --- |
| \`mscope --version\` | 280 | 8 | 8 | main, args, usage, errors |
| \`mscope run -e 'END {}' -- …\` | 280 | 137 | 113 | the compiler and runtime (lang, aggregate), the consumer, core; no provider (a program that names no probe is judged against none) |
| its traced process | 146 | 35 | 27 | the agent, its channel, the control socket (node:net), the weaver's link and a few of core's files (not core's index) |
| a traced process with an \`fn\` probe | 146 | 129 | 129 | the runtime (not the compiler: mscope ships the compiled program), providers, weaver and its bindings, the load-time rewrite |

One \`--cpu-prof\` of each, before issue 16's change, on a machine at load 3 to 5 (the
profiler slows both; the shares are what matter):

- \`mscope run -q -e 'END {}' -- node one.js\`, mscope's process, 732 ms: 294 ms idle
  (waiting for CMD), 121 ms Node's ES module loader and 33 ms its URL handling (loading the 137
  modules), 49 ms garbage collection, 32 ms Node's bootstrap, 16 ms spawning CMD, 15 ms our
  own code (compiling \`END {}\`: 3.4 ms). Under strace: 444 ms from mscope's exec to CMD's
  exec, 288 ms for CMD, 42 ms from CMD's exit to mscope's.
- its traced process, 153 ms against 46 ms for \`node one.js\`: 27 ms the ES module loader,
  25 ms bootstrap (5 ms without \`--import\`: an \`--import\` starts the ES module loader),
  18 ms garbage collection, 6 to 8 ms starting the control socket (node:net, a private
  directory, listen), about 11 ms our own code. An empty \`--import\` alone costs 1.10× the CPU
  of \`node one.js\`; the agent cost 1.57× before and 1.43× now (side by side in one run).

The 280 were every command, the compiler, the store, Prometheus (prom-client, which loads
OpenTelemetry's API) and the OTLP exporter. On Node 20 the rewrite's hooks run on a thread of
their own, which loads the rewrite a second time. Node's compile cache (\`NODE_COMPILE_CACHE\`,
Node 22) for both processes changed their CPU time by 0.99× (V8 compiles lazily; the time is
in resolving and loading), so mscope does not enable it. What is left is mscope's compiler
(about 60 modules of lang and aggregate, loaded to compile even \`END {}\`) and, in every
traced process, the ES module loader that \`--import\` starts and the control socket.

Since then the build bundles those modules (lib/, esbuild, shared chunks): \`mscope run -e
'END {}'\` loads 33 files instead of 113 and its traced process 19 instead of 27 (49 KB of
code instead of 64). Measured by CPU time (user + system of the whole tree, 8 to 10 runs each,
alternating, on a machine at load 10 to 15): \`mscope run -q -e 'END {}' -- true\` 245 to 250 ms
against 297 to 306 ms unbundled on Node 20, 248 to 259 against 306 to 326 on Node 24, where
\`node -e 0\` took 102 to 117. One file holding every command was slower still (503 to 513
ms): V8 then compiles and runs what the command never uses. Node's compile cache on the bundle
saved 4 to 7 % on Node 24 (239 to 241 ms), so it stays off. With an \`fn\` probe on Node 20 the
traced process's main thread spends most of its start waiting for the loader-hooks thread,
whose own start is Node's bootstrap of a second isolate; Node 22.15 and newer run the hooks in
the thread (\`module.registerHooks\`), and there the probe adds about 145 ms of CPU against 250
on Node 20.

Where a traced run's time goes, phase by phase (Node 20, 2026-12-03 23:35 UTC; each process
timestamped by a \`--require\` preload: \`performance.timeOrigin\`,
\`nodeTiming.bootstrapComplete\`, CMD's spawn, the program's first line, the \`exit\` event;
medians of 5 runs, the variants alternating; load average 64 falling to 55 after a burst, yet
plain \`node one.js\` started in 113 ms as on a quiet machine). "Before" is the build of
e1e3d41, "now" this one:

| phase | END before | END now | fn before | fn now |
| --- | ---: | ---: | ---: | ---: |
| exec of mscope → its Node bootstrapped | 110 | 118 | 142 | 116 |
| mscope: loads its chunks, compiles, session directory → spawns CMD | 89 | 95 | 144 | 116 |
| spawn → CMD's Node bootstrapped | 116 | 119 | 121 | 126 |
| CMD's agent (\`--import\`) → the program's first line | 53 | 35 | 239 | 132 |
| the program | 3 | 4 | 3 | 4 |
| CMD's \`exit\` event → mscope's \`exit\` event | 21 | 21 | 37 | 27 |
| mscope's \`exit\` event → reaped | 23 | 24 | 25 | 23 |
| whole command (plain \`node one.js\` 129 ms with the preload) | 427 | 409 | 727 | 559 |

A second run of 7 at load 16 falling to 11 took about twice as long everywhere and kept the
proportions (the agent phase 86 → 53 ms for END, 513 → 179 ms for fn). So two Node starts
and mscope's own loading and compiling (three Node-start-sized pieces) are nearly all of the
END run; the agent is about a third of a Node start, and Node's teardown of each process the
last 45 ms. What changed: on Node 20 the hooks thread starts only at the first sign of an ES
module (src/modules/deferred-hooks.ts: a main file that may be one, a flag that may load one,
a worker thread, or a CommonJS file about to compile that is one or holds the word
\`import\` or \`export\`), so a CommonJS program never waits for it; an agent whose monitors all
run in mscope serves no control socket (its \`listen\` loaded cluster, child_process and dgram);
the nearest-probe suggestions computed at exit for a description that matched nothing reuse
one typed array and rule most names out by a linear lower bound first (the 300-module
start-up's largest function of ours in \`--cpu-prof\`). Side
by side with the build before (whole commands timed from outside, CPU of the process tree, 10 runs,
load 19 to 49): END 0.93× CPU and 0.86× wall, fn 0.83× CPU and 0.87× wall, the 10-process
runner (5 runs) 0.88× CPU and 0.80× wall; the fault suite's 50-child fork case (shm binding,
2 runs each) 36.2 and 30.7 s of CPU against 40.5 and 41.5. The 300-module program of the
startup benchmark, warm cache, by the same whole-command timing (8 runs, load 4 to 5): 0.92× CPU
and 0.99× wall of the build before, 3.24× CPU and 3.29× wall of plain \`node main.mjs\`. Against plain \`node\` in the same
sessions: END 3.4× CPU and 3.1× wall, fn 4.5× and 4.7×, runner 1.59× and 1.56×. What is left:
mscope's start (the compiler and runtime, about 90 ms, and Node 20 has no compile cache to
keep), the ES module loader that \`--import\` starts in every CMD, and on Node 20 the hooks
thread for every program that loads ES modules (the 300-module program's \`main.mjs\`): its
start is a second Node's bootstrap, and each import then waits on a round trip to it.

Since then (2026-12-04), a Node CMD starts before mscope loads its compiler, held by its agent
until the monitors are written (\`dtrace -c\` also creates its process before compiling), so
Node's start-up of CMD runs beside mscope's loading and compiling on the second core. Timed
from inside each process on a quiet machine (Node 20, \`performance.nodeTiming\`): mscope's
Node is bootstrapped at about 85 ms and spawns CMD at about 110; CMD is bootstrapped at about
88 ms of its own life (plain \`node one.js\` 75) and runs its first line at about 125 (plain 85,
with an empty \`--import\` 95); mscope exits about 130 ms after spawning CMD, 260 ms after its
own start. Side by side with the build before (whole commands timed from outside, 20 runs each,
alternating, load under 1): END 0.90× wall and 1.05× CPU. Two plain runs of \`node one.js\` are
about 200 ms of it; the rest is the agent (40 ms past plain: 10 for the loader an \`--import\`
starts, 30 for its 18 files and the built-ins they load), mscope's own 25 ms before the spawn,
and 20 ms from CMD's exit to mscope's.

Since then (2026-12-04, 19:50 to 20:15 UTC), where a traced child's extra time went in the END
case, the child alone with mscope's environment and a written monitors file (Node 20, load 0.5
to 2; whole processes timed from outside, 20 runs each, alternating): plain \`node one.js\` 65 ms
of CPU, with an empty \`--import\` 71 (the ES module loader it starts: 21 more of Node's own
modules), with the agent 85: its 9 files of lib/ (52 KB) and 9 more built-ins (worker_threads
and its internals, signal_wrap, fs streams). The \`--require\` twin, which requires the same ES
modules through Node's require(esm), cost 0.96× of the \`--import\` agent (require(esm) runs most
of the same loader); one CommonJS file holding the agent's END path, 1.08× of plain node. Node
26 starts \`node one.js\` in 28 ms of CPU; there the agent cost 1.57× and an empty \`--import\` 1.05×.
So a session whose monitors all run in mscope (END, tick-N, ERROR; no \`mscope list\`,
\`--modules\` or accounting), which links nothing in any of its processes since they all read one
monitors file, now preloads them with \`--require\` of lib/agent/register-light.cjs: one CommonJS
file of 14 KB that the build bundles, holding what reports to mscope (hello, signals, the final
report) and no registry or weaver (the agent gets those from agent/linking.ts only when it
links). The held CMD's agent, once released, puts it in place of the \`--import\` in its own
NODE_OPTIONS, so its children never start the ES module loader; mscope gives it to a CMD it
starts after compiling (\`sh -c\`, npm). The held CMD keeps its \`--import\` (when it starts,
nothing says whether its program will link) and loads 6 files of lib/ instead of 8. Measured
the same way: the light preload 1.02× wall and 1.05× CPU of plain \`node one.js\` on Node 20,
1.11× CPU on Node 26 (about 3 ms on both, against 20 and 16 before). Whole commands, alternating
with the build before (load 2 to 3): the runner 0.83× wall and 0.84× CPU on Node 20 (0.87× and
0.88× in a run at load 10 to 22), 0.73× wall and 0.74× CPU on Node 26; END 0.98 to 0.99× wall and
CPU, fn 0.97 to 1.01× wall and 0.99 to 1.01× CPU (its traced process loads 31 files of lib/
instead of 28: the new profile splits small groups; mscope itself 20 instead of 19). Against plain \`node runner.js\`: 1.22× wall and 1.25× CPU on Node 20, 1.34× and 1.40×
on Node 26. What is left of END: timestamped in both processes (a \`--require\` preload, 5 runs,
load 7), mscope spawns CMD 105 to 137 ms after its own start and exits 7 to 10 ms after CMD;
CMD runs its first line 60 to 65 ms after its start (plain about 55), no longer waiting for
mscope's compile. So END is mscope's own start before the spawn (a Node start and what
run-start loads), one Node start, and the held CMD's \`--import\`.

What run-start loaded was more than it meant to (2026-12-04 late, timestamped: CMD's spawn and
the rename of the monitors file in mscope, the first line in CMD; Node 26, 5 runs): the bundle
put run-start's modules in the same chunks as the run command's, so mscope loaded the compiler
(419 KB of lib/ in 20 files) before it spawned CMD, 28 ms after its Node's bootstrap. With a
profile of its own (\`mscope run, until it starts CMD\`) it spawns CMD 11 to 14 ms after it,
then loads the compiler while CMD's Node starts. mscope now releases CMD 26 to 31 ms after the
spawn (22 ms of it loading the run command and compiler, 3 compiling \`END {}\`), about when
CMD's Node and agent are ready; CMD's first line follows. Whole commands, 15 pairs alternating
with the build before (farm-bench, load 1 to 4): END 97 -> 83 ms wall on Node 26 (0.86×), 173
-> 162 on Node 20 (0.94×); \`fn\` 0.94× and 0.95×; CPU unchanged.
`;
export const unit = 'ms';
export const rounds = 15;
export const isolate = false;

let dir = null;

const COMMANDS = {
  'node one.js': () => [process.execPath, 'one.js'],
  'launcher one.js': () => [process.execPath, 'launch.js', 'one.js'],
  'mscope run END': () => [process.execPath, BIN, 'run', '-q', '-e', 'END {}', '--', process.execPath, 'one.js'],
  'node fn.js': () => [process.execPath, 'fn.js'],
  'launcher fn.js': () => [process.execPath, 'launch.js', 'fn.js'],
  'mscope run fn': () => [process.execPath, BIN, 'run', '-q', '-e', 'fn::main:entry { @n = count(); }', '--', process.execPath, 'fn.js'],
  'mscope --version': () => [process.execPath, BIN, '--version'],
  'node runner.js': () => [process.execPath, 'runner.js'],
  'launcher runner.js': () => [process.execPath, 'launch.js', 'runner.js'],
  'mscope run runner': () => [process.execPath, BIN, 'run', '-q', '-e', 'END {}', '--', process.execPath, 'runner.js'],
};

export function cases() {
  return [
    {
      name: 'end',
      title: "`mscope run -q -e 'END {}' -- node one.js`",
      baseline: 'node one.js',
      variants: ['node one.js', 'launcher one.js', 'mscope run END'],
    },
    {
      name: 'end-launcher',
      samplesOf: 'end',
      title: "`mscope run -q -e 'END {}' -- node one.js` against the launcher",
      baseline: 'launcher one.js',
      variants: ['launcher one.js', 'mscope run END'],
    },
    {
      name: 'fn',
      title: 'a traced process with an fn probe',
      baseline: 'node fn.js',
      variants: ['node fn.js', 'launcher fn.js', 'mscope run fn'],
    },
    {
      name: 'fn-launcher',
      samplesOf: 'fn',
      title: 'a traced process with an fn probe, against the launcher',
      baseline: 'launcher fn.js',
      variants: ['launcher fn.js', 'mscope run fn'],
    },
    {
      name: 'runner',
      title: `a test runner that starts ${RUNNER_CHILDREN} Node processes one after another`,
      baseline: 'node runner.js',
      variants: ['node runner.js', 'launcher runner.js', 'mscope run runner'],
    },
    { name: 'version', title: '`mscope --version`', baseline: 'node one.js', variants: ['node one.js', 'mscope --version'] },
  ];
}

export async function setup() {
  dir = mkdtempSync(join(tmpdir(), 'mscope-bench-mscope-startup-'));
  writeFileSync(join(dir, 'one.js'), 'console.log("hi");\n');
  writeFileSync(
    join(dir, 'runner.js'),
    `const { spawnSync } = require('node:child_process');\n` +
      `for (let i = 0; i < ${RUNNER_CHILDREN}; i++) {\n` +
      `  const r = spawnSync(process.execPath, ['one.js'], { stdio: 'inherit' });\n` +
      `  if (r.status !== 0) process.exit(1);\n` +
      `}\n`,
  );
  writeFileSync(
    join(dir, 'launch.js'),
    `const { spawn } = require('node:child_process');\n` +
      `const child = spawn(process.execPath, process.argv.slice(2), { stdio: 'inherit' });\n` +
      `child.on('exit', (code) => process.exit(code ?? 1));\n`,
  );
  writeFileSync(join(dir, 'fn.js'), 'function main() {\n  console.log("hi");\n}\nmain();\n');
}

export async function teardown() {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
}

export async function sample(_caseName, variant) {
  const [file, ...args] = COMMANDS[variant]();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 || r.stderr.length > 0) throw new Error(`mscope-startup bench: ${variant} exited ${r.status}: ${r.stderr}`);
  return ms;
}
