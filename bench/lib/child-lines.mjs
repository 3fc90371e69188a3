// Children of the attach benchmarks, awaited by what they print.
import { spawn } from 'node:child_process';

/**
 * A child process whose stdout lines can be awaited: `line(re)` resolves with the match of the
 * first line not taken yet that matches `re`, and takes it (rejects if the child ends first); `done` with its status and stderr.
 */
export function startChild(cwd, cmd, args) {
  const child = spawn(cmd, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  let partial = '';
  let err = '';
  const waiters = new Set();
  child.stdout.setEncoding('utf8').on('data', (d) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop();
    lines.push(...parts);
    for (const w of waiters) w();
  });
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const done = new Promise((resolve) => child.once('close', (status) => resolve({ status, err })));
  const line = (re) =>
    new Promise((resolve, reject) => {
      const look = () => {
        for (let i = 0; i < lines.length; i++) {
          const m = re.exec(lines[i]);
          if (m === null) continue;
          lines.splice(i, 1);
          waiters.delete(look);
          return resolve(m);
        }
      };
      waiters.add(look);
      look();
      void done.then(({ status }) => waiters.has(look) && reject(new Error(`${args.join(' ')} ended (${status}) before printing ${re}: ${err}`)));
    });
  return { child, done, line };
}
