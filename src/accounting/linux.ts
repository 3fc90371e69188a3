import { rawCloseSync as closeSync, rawOpenSync as openSync, rawReadSync as readSync } from './raw-fs.js';
import type { Activity } from './activity.js';
import { F } from './fields.js';

/**
 * Opt-in Linux extras, read at segment boundaries: the main thread's run-queue wait from
 * /proc/thread-self/schedstat (field 2, ns) and context switches from getrusage. Each
 * boundary costs a pread of procfs and a getrusage (a few µs): for diagnosis, not always-on.
 */
export class LinuxSampler {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(128);
  private runq = 0;
  private vcsw = 0;
  private ivcsw = 0;

  private constructor(fd: number) {
    this.fd = fd;
  }

  static open(): LinuxSampler | null {
    if (process.platform !== 'linux') return null;
    try {
      return new LinuxSampler(openSync('/proc/thread-self/schedstat', 'r'));
    } catch {
      return null;
    }
  }

  begin(): void {
    this.runq = this.readRunq();
    const u = process.resourceUsage();
    this.vcsw = u.voluntaryContextSwitches;
    this.ivcsw = u.involuntaryContextSwitches;
  }

  end(a: Activity): void {
    a.add(F.runqWait, this.readRunq() - this.runq);
    const u = process.resourceUsage();
    a.add(F.vcsw, u.voluntaryContextSwitches - this.vcsw);
    a.add(F.ivcsw, u.involuntaryContextSwitches - this.ivcsw);
  }

  /**
   * This thread's run-queue wait so far, ns: updated when the thread is switched back in, so
   * exact whenever the thread reads it. Wall time less its increase is the thread's own run
   * time over a stretch in which it never sleeps (consumer/calibration.ts).
   */
  runqWaitNs(): number {
    return this.readRunq();
  }

  private readRunq(): number {
    const n = readSync(this.fd, this.buf, 0, this.buf.length, 0);
    const text = this.buf.toString('latin1', 0, n);
    const a = text.indexOf(' ');
    const b = text.indexOf(' ', a + 1);
    return Number(text.slice(a + 1, b < 0 ? undefined : b));
  }

  close(): void {
    closeSync(this.fd);
  }
}
