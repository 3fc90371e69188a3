// What the test runner prints about a test file that passed its time limit, before it kills the
// file's process group: every process in the group, and for each Node among them that catches
// REPORT_SIGNAL (the runner's NODE_OPTIONS turns that on) the libuv handles its event loop waits
// on, from Node's diagnostic report. Bounded in time: a process whose main thread never returns
// to its event loop (blocked in Atomics.wait, a sync child process) writes no report, which is
// said; Linux's /proc then tells its threads and where each waits in the kernel (for a stack,
// `gdb -p PID -batch -ex 'call (void)_v8_internal_Print_StackTrace()'` prints the JS one).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';

export const REPORT_SIGNAL = 'SIGUSR2';
const SIGNAL_BIT = 1n << 11n; // SIGUSR2 is 12 on Linux; SigCgt's bit n-1 is signal n.
const REPORT_WAIT_MS = 5000;

/** Text to print for the hung process group led by `leader`; never throws, never waits long. */
export async function describeHung(leader, reportDir) {
  try {
    const members = groupMembers(leader);
    const asked = members.filter((m) => catchesReportSignal(m.pid, leader));
    for (const m of asked) signal(m.pid);
    const reports = await collectReports(asked, reportDir);
    const parts = [`\n── hung: ${members.length} processes in its group; reports asked of ${asked.length} with ${REPORT_SIGNAL}`];
    for (const m of members) {
      const report = reports.get(m.pid);
      parts.push(`\n── pid ${m.pid}: ${m.args}`);
      if (report !== undefined) parts.push(summarize(report));
      else if (asked.includes(m))
        parts.push(`   no report within ${REPORT_WAIT_MS / 1000} s: its main thread does not return to the event loop`);
      parts.push(...threads(m.pid));
    }
    return `${parts.join('\n')}\n`;
  } catch (error) {
    return `\n── hung: no diagnostic (${error instanceof Error ? error.message : String(error)})\n`;
  }
}

function groupMembers(leader) {
  const out = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,args='], { encoding: 'utf8', timeout: 5000 });
  const members = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m !== null && Number(m[2]) === leader) members.push({ pid: Number(m[1]), args: m[3].slice(0, 300) });
  }
  return members;
}

/** Only a Node that catches the signal is sent it: it would kill any other Node. */
function catchesReportSignal(pid, leader) {
  let status;
  try {
    if (!basename(readlinkSync(`/proc/${pid}/exe`)).startsWith('node')) return false;
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return pid === leader; // no /proc: the test file's own Node has the runner's NODE_OPTIONS
  }
  const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status);
  return caught !== null && (BigInt(`0x${caught[1]}`) & SIGNAL_BIT) !== 0n;
}

function signal(pid) {
  try {
    process.kill(pid, REPORT_SIGNAL);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

async function collectReports(asked, reportDir) {
  const reports = new Map();
  const deadline = Date.now() + REPORT_WAIT_MS;
  while (reports.size < asked.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const name of readdirSync(reportDir)) {
      const pid = Number(/^report\.\d+\.\d+\.(\d+)\./.exec(name)?.[1]);
      if (reports.has(pid) || !asked.some((m) => m.pid === pid)) continue;
      try {
        reports.set(pid, JSON.parse(readFileSync(join(reportDir, name), 'utf8')));
      } catch {
        // Still being written: read again on the next round.
      }
    }
  }
  return reports;
}

/**
 * Written from the event loop, so its stacks show only the report being written: what matters
 * is that the loop runs, and the handles that keep it waiting.
 */
function summarize(report) {
  const handles = (report.libuv ?? []).filter((h) => h.type !== 'loop' && (h.is_referenced || h.is_active));
  const waiting = handles.filter((h) => h.is_referenced && !(h.type === 'signal' && h.signum === 12));
  const lines = [`   report: its event loop runs, waiting on ${waiting.length} referenced handles:`];
  for (const h of waiting) {
    const details = Object.entries(h)
      .filter(([k, v]) => !['type', 'is_active', 'is_referenced', 'address'].includes(k) && typeof v !== 'object')
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push(`     ${h.type}${h.is_active ? ' (active)' : ''} ${details}`.trimEnd());
  }
  const workers = (report.workers ?? []).length;
  if (workers > 0) lines.push(`   worker threads: ${workers}`);
  return lines.join('\n');
}

/** Linux: state and the kernel wait channel of each thread (a Node worker thread shows its name). */
function threads(pid) {
  try {
    const names = readdirSync(`/proc/${pid}/task`).map((tid) => {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const wchan = readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8').trim();
      return `${comm}${wchan !== '' && wchan !== '0' ? ` (${wchan})` : ''}`;
    });
    return [`   threads: ${names.join(', ')}`];
  } catch {
    return [];
  }
}
