/**
 * DTrace's time conversions, of nanoseconds since the epoch in local time (dt_printf.c):
 * `%Y` is mdb's "1973 Dec  3 17:20:00" (ctime's fields, the year first), `%T` RFC 822's
 * "Mon, 03 Dec 1973 17:20:00 UTC" (strftime's "%a, %d %b %G %T %Z").
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Whole seconds, as DTrace divides a signed hrtime_t by NANOSEC (truncating) before ctime. */
function dateOf(ns: bigint): Date {
  return new Date(Number(ns / 1_000_000_000n) * 1000);
}

function clock(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function formatTimeY(ns: bigint): string {
  const d = dateOf(ns);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${clock(d)}`;
}

/** The ISO 8601 week-based year (strftime's %G): the year of the week's Thursday. */
function isoYear(d: Date): number {
  const thursday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7) + 3);
  return thursday.getFullYear();
}

function zoneName(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
  return part?.value ?? '';
}

export function formatTime822(ns: bigint): string {
  const d = dateOf(ns);
  if (Number.isNaN(d.getTime())) return '';
  return `${DAYS[d.getDay()]}, ${two(d.getDate())} ${MONTHS[d.getMonth()]} ${isoYear(d)} ${clock(d)} ${zoneName(d)}`;
}
