// Loaded into each test file's Node by scripts/test.mjs (--import): at exit, writes the CPU time
// of the file's process and of every child it waited for (Linux /proc), in seconds, to the file
// MSCOPE_TEST_CPU_FILE names. Only the runner's own children write, not programs a test starts
// with the same flags, nor its worker threads.
import { readFileSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.MSCOPE_TEST_CPU_FILE;
if (file !== undefined && isMainThread && String(process.ppid) === process.env.MSCOPE_TEST_RUNNER_PID) {
  process.on('exit', () => {
    let stat;
    try {
      stat = readFileSync('/proc/self/stat', 'utf8');
    } catch {
      return; // no /proc: the runner prints no CPU figure
    }
    // Fields after the command's closing parenthesis: utime, stime, cutime, cstime are 14 to 17, in ticks of 1/100 s.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    writeFileSync(file, String((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100));
  });
}
