// The three bindings side by side: what an entry probe with two number arguments costs the
// application thread under direct, shm and message, and how fast the shm consumer folds.
import { fileURLToPath } from 'node:url';
import { timeCalls } from './lib/loop.mjs';
import { samplePaced } from './lib/paced.mjs';
import { loadInstrumentedTarget, MODULE_NAME } from './lib/instrumented.mjs';
import { timeConsumer } from './lib/shm-consumer.mjs';

export const title = 'bindings: direct, shared memory, message passing';
export const description = `
Each sample is one fresh process. Call cases loop over the trivial \`add(a, b)\` of the
call benchmark, loaded instrumentable by the same rewrite, with a counting monitor on its
\`entry\` probe, linked as a D \`count()\` clause is (\`keepsEvents: false\`, \`readsArgs:
false\`, \`readsEvent: false\`; before 2026-12-04 this benchmark linked it reading args, and shm
and message shipped them; before the 2026-12-04 evening it declared no \`readsEvent\`, and every
firing filled in its event's activity). \`nothing attached\`: no link. \`direct\`: a counting closure on the
application thread. \`shm\` (64 MiB ring) and \`message\` (default queue): the counting
remote monitor \`bench/fixtures/counting-monitor.mjs\` on a worker. The application-thread
case times batches of 10,000 calls with 20 ms pauses (at most 500,000 events/s offered,
so nothing is dropped) and keeps the fastest batch after 30 warm-up batches. The delivery
case calls \`add\` 500,000 times flat out (a queue of 1,000,000 for \`message\`, so the
64 MiB ring and the queue hold them all) and divides the events that reached the monitor
(\`events - drops\`) by the time from the first call until \`unlink()\` has drained the
binding, in millions of events per second. The paced case offers 2,000,000 events/s for
one second with the default ring and queue (small bursts, yielding to the event loop in
between) and reports the share of events that reached the monitor. The consumer case fills a 64 MiB ring
with that probe's records (8 words: no arguments, no time fields) and times draining it on one thread: \`ring walk\` only steps
over the records, \`decode+fold\` also decodes each into an event and hands it to the
counting monitor, which is what the shm worker does. 1000 / (ns/event) is the rate in
millions of events per second.

What an shm and a message event cost was made of (Node 20, \`perf record -g\` with
\`--perf-basic-prof\` of the paced loop, samples under the timed calls; 2026-12-03, load
average 60–90). Before issue 16's work (shm 365 ns, message 117 ns in a quiet run): shm
was mostly the first touch of the fresh 64 MiB ring's pages, one minor fault per 4 KiB
page (51 records), about 16 µs each on this VM (22,600 faults against 11,000 with a 4 MiB
ring); both read the clock (\`performance.now\`, \`clock_gettime\` on kvm-clock, ~20 % of
shm's samples once the faults were gone), which the direct binding never does for a
counting monitor; message allocated a new 64 KiB batch every 819 events (calloc's memset
and its page faults, ~15 % of its samples). Now the shm consumer touches the ring's pages
itself, a message worker hands each batch's buffer back with its ack, and a monitor that
never reads \`timestamp\` or \`elapsed\` says so (\`readsTimestamps\`: this counting
monitor, a D \`count()\` clause), so the probe sites skip the clock. What was then left
(2026-12-03, shm ~70 ns, message ~70 ns): the path into the binding with its \`ProbeEvent\`,
inlined by V8 into \`add\` (~24 %, as in direct); encoding the 12-word header and the
arguments (~29 %); the ring's reserve and commit (~24 %: \`Atomics.compareExchange\` and
\`Atomics.store\` are calls into V8 builtins on Node 20, ~9 % each); interrupts (~6 %).
Since 2026-12-04 the ring's one producer (the thread that made it) reserves without a
compare-and-swap and publishes with one store of the write cursor; records carry the time
fields only for a monitor that reads them (an untimed count with no arguments is 8 words,
not 12); shm and message honour the link's \`readsArgs: false\`, which this benchmark's link
now declares as a D \`count()\` clause does; which probes a ring has defined is a byte per
probe id (a plain array turned into a dictionary past id ~1,024, +14 ns an event); a record
without values is sized inline, leaving V8 inlining budget for the ring. A link that reads only
the probe (\`readsEvent: false\`, as \`@ = count()\` and \`@[probefunc] = count()\` link) is handed
its probe's fixed event, which no firing fills in (side by side, 4 rounds each, twice: shm 44.6
and 44.1 → 40.5 and 40.6 ns/op, message 50.7 and 49.8 → 43.7 and 43.6). What is
left of shm (\`perf\` of the paced loop): the path with \`deliver\` and \`commit\` inlined
(~58 %), \`writeEvent\` (~20 %, called: V8's inlining budget is spent on the path), the one
\`Atomics.store\` (~11 %), \`reserve\` (~5 %). message: the path with \`deliver\` inlined
(~55 %), \`room\` (~18 %), \`writeEvent\` (~17 %). The consumer zeroes what it consumed once
per drain, not per record (the walk was a third \`fill\` calls), decodes an entry event
without an extra array, reads a one-producer ring's lengths without atomics and keeps the
last link's monitor at hand (the Map lookup was 12 % of a drain); its first-touch pass over
a fresh ring waits while there is a backlog (a 4 ms step per 4,096 records held a flood to
~1 M events/s while the pass ran).
`;
export const unit = 'ns/op';
export const rounds = 10;
export const isolate = true;

const MONITOR = fileURLToPath(new URL('./fixtures/counting-monitor.mjs', import.meta.url));
const RING_BYTES = 64 << 20;
/** Fits the 64 MiB ring: a record of this probe is 8 words (32 bytes; 20 while it shipped its arguments and the time fields). */
const OFFERED = 500_000;

export function cases() {
  return [
    {
      name: 'app-thread',
      title: 'application thread, `add(a, b)` with a counting monitor on `entry`',
      baseline: 'nothing attached',
      variants: ['nothing attached', 'direct', 'shm', 'message'],
    },
    {
      name: 'delivered',
      title: '500,000 events offered flat out: delivered per second until drained',
      unit: 'M events/s',
      baseline: 'direct',
      variants: ['direct', 'shm', 'message'],
    },
    {
      name: 'paced',
      title: '2,000,000 events/s offered for 1 s, default ring and queue: share delivered',
      unit: '%',
      baseline: 'direct',
      variants: ['direct', 'shm', 'message'],
    },
    {
      name: 'consumer',
      title: 'shm consumer, one thread',
      unit: 'ns/event',
      baseline: 'ring walk',
      variants: ['ring walk', 'decode+fold'],
    },
  ];
}

const found = [];
export function notes() {
  return found;
}

export async function sample(caseName, variant) {
  if (caseName === 'consumer') return timeConsumer(variant === 'decode+fold', RING_BYTES);
  const { api } = await loadInstrumentedTarget();
  if (variant === 'nothing attached') return samplePaced(api.add);
  const { link } = await import('../dist/weaver/index.js');
  let count = 0;
  // Linked as a D `count()` clause is: it keeps no event, reads no args, and reads nothing of the event but its probe.
  const h = link(`fn:${MODULE_NAME}:add:entry`, () => void count++, {
    binding: variant,
    keepsEvents: false,
    readsArgs: false,
    readsEvent: false,
    remote: { module: MONITOR, options: {} },
    settings: caseName === 'paced' ? {} : { ringBytes: RING_BYTES, maxQueued: 2 * OFFERED },
  });
  // Remote bindings start their worker asynchronously; events before it is ready are queued.
  if (variant !== 'direct') await new Promise((r) => setTimeout(r, 200));
  const t0 = process.hrtime.bigint();
  const value = caseName === 'app-thread' ? await samplePaced(api.add) : null;
  if (caseName === 'delivered') timeCalls(api.add, OFFERED);
  if (caseName === 'paced') await offerAt(api.add, 2e6, 1e9);
  await h.unlink();
  const { events, drops } = h.stats;
  if (events === 0 && count === 0) throw new Error(`bindings bench: ${variant} saw no events`);
  if (caseName === 'paced') return ((events - drops) / events) * 100;
  if (caseName === 'delivered') {
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (drops > 0) found.push(`delivery, ${variant}: the binding dropped events (${dropShare(drops / events)})`);
    return (events - drops) / s / 1e6;
  }
  // Dropping is cheaper than recording, so a sample taken while dropping understates the cost.
  if (drops > 0)
    found.push(`application thread, ${variant}: events were dropped even when paced; its figure includes cheaper dropped events`);
  return value;
}

/** Calls f `perSecond` times a second on average for `ns`, in bursts of at most 1,000. */
async function offerAt(f, perSecond, ns) {
  const t0 = process.hrtime.bigint();
  let made = 0;
  for (;;) {
    const elapsed = Number(process.hrtime.bigint() - t0);
    if (elapsed >= ns) return;
    const due = Math.min(Math.floor((elapsed * perSecond) / 1e9), made + 1000);
    if (due > made) timeCalls(f, due - made);
    made = Math.max(made, due);
    // The message binding posts its batches from this thread; let it.
    await new Promise((r) => setImmediate(r));
  }
}

/** A coarse share, so that notes from different samples collapse into a few lines. */
function dropShare(x) {
  return x < 0.01 ? 'under 1 %' : x < 0.1 ? '1–10 %' : x < 0.5 ? '10–50 %' : 'over half';
}
