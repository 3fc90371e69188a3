// The policy: monitor code that reads aggregated telemetry every window (the NIC's counters:
// packets offered, received or dropped, whatever the driver's mode managed to take; and the
// monitor's batch sizes) and switches the driver's mode, polling under load and interrupts when
// idle, with hysteresis: a switch needs the rate past its threshold for several windows in a
// row, and the two thresholds differ.
export const WINDOW_MS = 20;
const UP_PPS = 40_000;
const DOWN_PPS = 15_000;
const UP_WINDOWS = 2;
const DOWN_WINDOWS = 3;

/** `offered()`: packets the NIC saw so far, received or dropped. */
export function startPolicy(offered, driver, state) {
  let last = offered();
  let lastT = Number(process.hrtime.bigint());
  let streak = 0;
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
  return () => clearInterval(timer);
}
