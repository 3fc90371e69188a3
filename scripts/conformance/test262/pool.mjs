import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER = new URL('./worker.mjs', import.meta.url);
/** A test that reports nothing for this long is stopped with its worker and counted as a hang. */
const HANG_MS = Number(process.env.TEST262_HANG_MS ?? 120_000);
/** Fresh workers now and then: thousands of vm realms and module graphs are slow to collect. */
const TESTS_PER_WORKER = 1500;

/**
 * Runs `files` on worker threads, plain then traced. A hang or a crash is retried with the
 * two modes apart, so that its outcome lands on the mode that caused it.
 */
export function runPool(files, { workers = availableParallelism(), onResult = () => {} } = {}) {
  const queue = files.map((file) => ({ file, modes: ['plain', 'traced'] }));
  const results = new Map();
  let active = 0;
  return new Promise((done) => {
    const finish = (task, result) => {
      if (task.modes.length === 2) {
        results.set(task.file, result);
        onResult(task.file, result);
        return;
      }
      const prev = results.get(task.file) ?? { split: {} };
      prev.split[task.modes[0]] = result;
      if (Object.keys(prev.split).length === 2) onResult(task.file, prev);
      results.set(task.file, prev);
    };
    const start = () => {
      if (queue.length === 0) {
        if (active === 0) done(results);
        return;
      }
      active++;
      const w = new Worker(WORKER, {
        execArgv: ['--experimental-vm-modules', '--no-warnings'],
        resourceLimits: { maxOldGenerationSizeMb: 2048 },
      });
      let task = null;
      let ran = 0;
      let timer = null;
      let ended = false;
      const next = () => {
        task = queue.shift() ?? null;
        if (task === null || ran >= TESTS_PER_WORKER) {
          if (task !== null) queue.unshift(task);
          end(false);
          return;
        }
        ran++;
        timer = setTimeout(() => fail(`hang: no result in ${HANG_MS / 1000} s`), HANG_MS);
        w.postMessage(task);
      };
      const end = (failed) => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        void w.terminate();
        active--;
        if (failed || queue.length > 0) start();
        else if (active === 0) done(results);
      };
      const fail = (why) => {
        if (ended) return;
        const t = task;
        task = null;
        if (t !== null) process.stderr.write(`test262: ${t.file} [${t.modes.join(', ')}]: ${why}\n`);
        if (t !== null) {
          if (t.modes.length === 2) queue.unshift({ file: t.file, modes: ['plain'] }, { file: t.file, modes: ['traced'] });
          else finish(t, { crashed: why });
        }
        end(true);
      };
      w.on('message', ({ file, result }) => {
        clearTimeout(timer);
        if (task !== null && task.file === file) finish(task, result);
        next();
      });
      w.on('error', (e) => fail(`crash: ${e.message}`));
      w.on('exit', (code) => fail(`exit ${code}`));
      w.once('online', next);
    };
    const n = Math.min(workers, queue.length);
    if (n === 0) done(results);
    for (let i = 0; i < n; i++) start();
  });
}
