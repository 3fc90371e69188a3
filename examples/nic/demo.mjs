// mscope demo nic: the seed's NIC driver scenario end to end. `node demo.mjs [--packets N]`.
// 1. The driver's telemetry linked by message passing (the untrusted monitor), relinked live to
//    direct calls (trusted), then unlinked: the same figures under both, and what each cost.
// 2. An idle/steady/burst/idle workload under each fixed mode and under the policy.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { link } from 'microscope';
import { createDriver } from './driver.mjs';
import { Nic } from './nic.mjs';
import { startPolicy, WINDOW_MS } from './policy.mjs';
import { createMonitor, Telemetry } from './telemetry.mjs';
import { C } from './layout.mjs';

const { values } = parseArgs({ options: { packets: { type: 'string', default: '40000' } } });
const N = Number(values.packets);
if (!Number.isInteger(N) || N < 100) {
  console.error('demo nic: --packets needs a whole number of at least 100');
  process.exit(2);
}
// V8 compiles hot code on a thread of its own: on two cores, beside the device's thread and the
// driver's, it descheduled the driver for milliseconds just after a mode switch (the policy's
// burst p99 1.1-2.2 ms, sometimes with drops; 0.1-0.9 ms compiling on the driver's thread). The
// simulated driver would be compiled ahead of time; so is its simulation's JIT kept off the
// device's cores.
setFlagsFromString('--no-concurrent-recompilation');
const MONITOR = fileURLToPath(new URL('./telemetry.mjs', import.meta.url));
const DESCRIPTIONS = ['fn:nic-driver:deliver:entry', 'fn:nic-driver:batch:entry'];

/** Links the telemetry by `binding`; flushes are merged into `by[binding]` (and `all`). */
function linkTelemetry(binding) {
  const local = createMonitor();
  const by = { message: new Telemetry(), direct: new Telemetry() };
  const all = new Telemetry();
  const merge = (kind, d) => {
    by[kind]?.merge(d);
    all.merge(d);
  };
  // The monitor reads the probe's name and the arguments, never `this` (the driver's API object).
  const handles = DESCRIPTIONS.map((d) =>
    link(d, (ev) => local.handle(ev), { binding, readsThis: false, remote: { module: MONITOR }, settings: { flushMs: WINDOW_MS } }),
  );
  for (const h of handles) h.onFlush((r, kind) => merge(kind, r));
  const timer = setInterval(() => merge('direct', local.flush()), WINDOW_MS);
  return {
    by,
    all,
    handles,
    relink: (to) => Promise.all(handles.map((h) => h.relink({ binding: to }))),
    async unlink() {
      await Promise.all(handles.map((h) => h.unlink()));
      clearInterval(timer);
      merge('direct', local.flush());
    },
  };
}

function pct(xs, q) {
  if (xs.length === 0) return 0;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
const us = (ns) => `${(ns / 1e3).toFixed(ns < 1e5 ? 1 : 0)} µs`;
const ms = (ns) => `${(ns / 1e6).toFixed(1)} ms`;
const row = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');

async function bindingSection() {
  const rate = 10_000;
  const per = Math.max(200, Math.floor(N / 2));
  const names = ['message', 'direct', 'none'];
  // Gated: each binding's segment starts once its relink (or unlink) is done, however late the timer.
  const nic = new Nic(
    names.map(() => ({ rate, packets: per })),
    { gated: true },
  );
  const d = createDriver(nic);
  const t = linkTelemetry('message');
  const events = { message: 0, direct: 0 };
  // The monitor's worker starts before the traffic: what is compared is the steady cost.
  await new Promise((r) => setTimeout(r, 300));
  const device = nic.start();
  const driving = d.run();
  let seen = 0;
  try {
    await new Promise((resolve, reject) => {
      const watch = setInterval(() => {
        const phase = Atomics.load(nic.ctrl, C.PHASE);
        if (phase === seen) return;
        seen = phase;
        if (phase === 1)
          t.relink('direct').then(
            () => nic.ack(1),
            (error) => {
              clearInterval(watch);
              reject(error);
            },
          );
        if (phase === 2) {
          clearInterval(watch);
          resolve();
        }
      }, 2);
    });
    await t.unlink();
  } finally {
    // The last segment starts once unlinked; whatever ended the section, the device runs out.
    nic.ack(nic.phases.length);
  }
  for (const h of t.handles) for (const [kind, u] of h.useByBinding()) events[kind] += u.events;
  await Promise.all([device, driving]);
  console.log(
    `telemetry bound by message, relinked live to direct, then unlinked (interrupt mode, ${rate} packets/s, ${per} packets each):`,
  );
  const w = [9, 8, 9, 9, 10, 10, 15];
  console.log(row(['binding', 'packets', 'p50 mon', 'p50 true', 'p99 mon', 'p99 true', 'driver CPU/pkt'], w));
  const cpuPer = names.map((_, i) => d.cpu[i] / Math.max(1, d.latencies(i).length));
  for (let i = 0; i < 3; i++) {
    const tel = i < 2 ? t.by[names[i]] : null;
    const truth = d.latencies(i);
    console.log(
      row(
        [
          names[i],
          tel === null ? '-' : tel.packets,
          tel === null ? '-' : us(tel.quantile(0.5)),
          us(pct(truth, 0.5)),
          tel === null ? '-' : us(tel.quantile(0.99)),
          us(pct(truth, 0.99)),
          `${us(cpuPer[i])}`,
        ],
        w,
      ),
    );
  }
  const cost = (i) => `${(cpuPer[i] - cpuPer[2]).toFixed(0)} ns`;
  console.log(
    `cost of the telemetry per packet (CPU/pkt minus unmonitored): message ${cost(0)}, direct ${cost(1)}; events carried: message ${events.message}, direct ${events.direct}`,
  );
  console.log("(mon: from the monitor's quarter-octave histogram, a bucket's lower bound; true: the driver's own record)\n");
}

const PHASES = [
  { name: 'idle', rate: 1_000, packets: Math.max(100, Math.floor(N / 50)) },
  { name: 'steady', rate: 10_000, packets: N },
  { name: 'burst', rate: 200_000, packets: 2 * N },
  { name: 'idle', rate: 1_000, packets: Math.max(100, Math.floor(N / 50)) },
];

async function modeRun(strategy) {
  const nic = new Nic(PHASES);
  const d = createDriver(nic);
  const t = linkTelemetry('direct');
  if (strategy !== 'policy') d.driver.setMode(strategy);
  d.state.switches.fill(0);
  const stop = strategy === 'policy' ? startPolicy(() => nic.counters(), d.driver, d.state) : () => {};
  await Promise.all([nic.start(), d.run()]);
  stop();
  await t.unlink();
  return PHASES.map((p, i) => ({
    p50: pct(d.latencies(i), 0.5),
    p99: pct(d.latencies(i), 0.99),
    cpu: d.cpu[i],
    drops: nic.dropsIn(i),
    switches: d.state.switches[i],
  }));
}

console.log(`NIC demo: ${PHASES.map((p) => `${p.name} ${p.packets} packets at ${p.rate}/s`).join(', ')}; ring of 1024\n`);
await bindingSection();

const strategies = ['interrupt', 'polling', 'policy'];
const results = {};
for (const s of strategies) results[s] = await modeRun(s);
const w = [8, 10, 10, 10, 10, 7, 9];
console.log('telemetry linked direct; per phase:');
console.log(row(['phase', 'mode', 'p50', 'p99', 'CPU', 'drops', 'switches'], w));
PHASES.forEach((p, i) => {
  for (const s of strategies) {
    const r = results[s][i];
    console.log(row([s === strategies[0] ? p.name : '', s, us(r.p50), us(r.p99), ms(r.cpu), r.drops, r.switches], w));
  }
});

const total = (s, k) => results[s].reduce((a, r) => a + r[k], 0);
const worstP99 = (s) => Math.max(...results[s].map((r) => r.p99));
console.log('\npolicy against each fixed mode, whole workload:');
for (const s of ['interrupt', 'polling']) {
  const cpu = total('policy', 'cpu') / total(s, 'cpu');
  const p99 = worstP99('policy') / worstP99(s);
  const drops = [total('policy', 'drops'), total(s, 'drops')];
  const wins = [cpu < 1 ? 'CPU' : null, p99 < 1 ? 'worst-phase p99' : null, drops[0] < drops[1] ? 'drops' : null].filter(Boolean);
  const loses = [
    cpu > 1 ? `CPU by ${((cpu - 1) * 100).toFixed(0)} %` : null,
    p99 > 1 ? `worst-phase p99 by ${((p99 - 1) * 100).toFixed(0)} %` : null,
    drops[0] > drops[1] ? `drops by ${drops[0] - drops[1]}` : null,
  ].filter(Boolean);
  console.log(
    `  vs ${s.padEnd(9)}: CPU ×${cpu.toFixed(2)}, worst-phase p99 ×${p99.toFixed(2)}, drops ${drops[0]} vs ${drops[1]}; ` +
      `${wins.length > 0 ? `wins on ${wins.join(', ')}` : 'wins on nothing'}${loses.length > 0 ? `; loses on ${loses.join(', ')}` : ''}`,
  );
}
