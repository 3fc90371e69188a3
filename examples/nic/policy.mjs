// The policy: monitor code that reads the NIC's counters (packets offered, received or dropped,
// and the ring's occupancy) and switches the driver's mode, polling under load and interrupts
// when idle. The offered rate, taken every window, switches with hysteresis: past its threshold
// for several windows in a row, and the two thresholds differ. The backlog rule is linked into
// the driver's `irq` hook, so it acts at the interrupt that finds a poll's whole budget queued
// (interrupts are not keeping up; NAPI masks them the same way) rather than at the next timer
// tick, by when a burst has queued hundreds more. A stall of the driver can leave such a backlog
// at a low rate too; the rate then switches back.
import { link } from 'microscope';

export const WINDOW_MS = 20;
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
  const backlog = link(
    'fn:nic-driver:irq:entry',
    () => {
      if (counters().occupancy < BACKLOG) return;
      driver.setMode('polling');
      streak = 0;
    },
    { binding: 'direct', readsThis: false, readsArgs: false, keepsEvents: false },
  );
  const timer = setInterval(() => {
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
  }, WINDOW_MS);
  return () => {
    clearInterval(timer);
    backlog.unlink();
  };
}
