// The policy: monitor code that reads the NIC's counters (packets offered, received or dropped,
// and the ring's occupancy) and switches the driver's mode, polling under load and interrupts
// when idle. The offered rate, taken every window, switches with hysteresis: past its threshold
// for several windows in a row, and the two thresholds differ. A backlog of a poll's whole
// budget switches to polling at the next tick: interrupts are not keeping up, and waiting for a
// window's rate would let a burst fill the ring (NAPI masks interrupts the same way). A stall of
// the driver can leave such a backlog at a low rate too; the rate then switches back.
export const WINDOW_MS = 20;
/** How often the backlog is read; the rate is taken every WINDOW_MS / TICK_MS ticks. */
const TICK_MS = 2;
const BACKLOG = 64;
const UP_PPS = 40_000;
const DOWN_PPS = 15_000;
const UP_WINDOWS = 2;
const DOWN_WINDOWS = 3;

/** `counters()`: the NIC's `{ packets, drops, occupancy }`, packets and drops counted since it started. */
export function startPolicy(counters, driver, state) {
  const offered = () => {
    const c = counters();
    return c.packets + c.drops;
  };
  let last = offered();
  let lastT = Number(process.hrtime.bigint());
  let streak = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    if (state.mode === 'interrupt' && counters().occupancy >= BACKLOG) {
      driver.setMode('polling');
      streak = 0;
    }
    if (++ticks < WINDOW_MS / TICK_MS) return;
    ticks = 0;
    const t = Number(process.hrtime.bigint());
    const now = offered();
    const rate = ((now - last) * 1e9) / (t - lastT);
    last = now;
    lastT = t;
    const wantPolling = state.mode === 'interrupt' ? rate > UP_PPS : rate >= DOWN_PPS;
    const switching = wantPolling !== (state.mode === 'polling');
    streak = switching ? streak + 1 : 0;
    if (streak >= (state.mode === 'interrupt' ? UP_WINDOWS : DOWN_WINDOWS)) {
      driver.setMode(wantPolling ? 'polling' : 'interrupt');
      streak = 0;
    }
  }, TICK_MS);
  return () => clearInterval(timer);
}
