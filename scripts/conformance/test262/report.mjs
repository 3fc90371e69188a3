import { relative, resolve } from 'node:path';
import { TEST262 } from './runner.mjs';

// Without test262 beside the checkout, test262.mjs says so and exits 2; this must not throw first.
const LANG = resolve(TEST262 ?? '.', 'test/language');

/** The top-level directory under test/language. */
export function groupOf(file) {
  const rel = relative(LANG, file);
  return rel.startsWith('..') ? '(extra)' : rel.split('/')[0];
}

function key(o) {
  return `${o.pass ? 'pass' : 'fail'}|${o.phase ?? ''}|${o.error ?? ''}|${o.rejections}`;
}

function describe(o) {
  if (o === undefined) return 'missing';
  const what = o.pass ? 'pass' : 'FAIL';
  const detail = [o.phase, o.error].filter((x) => x !== null && x !== undefined).join(' ');
  const rej = o.rejections > 0 ? ` +${o.rejections} unhandled rejection(s)` : '';
  return `${what}${detail === '' ? '' : ` (${detail})`}${rej}${o.message ? `: ${o.message}` : ''}`;
}

/** Flattens a pool result (whole or split after a hang) into per-variant rows. */
function variantsOf(result) {
  if (result.harnessError !== undefined) return [{ variant: '?', harnessError: result.harnessError }];
  if (result.split !== undefined) {
    const plain = result.split.plain;
    const traced = result.split.traced;
    const asOutcome = (r) => ({ pass: false, phase: 'hang', error: null, message: r.crashed, rejections: 0 });
    const p = plain.crashed !== undefined ? null : plain.results;
    const t = traced.crashed !== undefined ? null : traced.results;
    const variants = (p ?? t ?? [{ variant: '?' }]).map((v) => v.variant);
    return variants.map((variant, i) => ({
      variant,
      plain: p === null ? asOutcome(plain) : p[i].plain,
      traced: t === null ? asOutcome(traced) : t[i].traced,
      sites: t?.[i].sites ?? 0,
      skip: t?.[i].skip ?? null,
      fired: t?.[i].fired ?? null,
      probes: t?.[i].probes ?? 0,
    }));
  }
  return result.results;
}

/**
 * Sorts every test into: same outcome, plain failure on this Node (not a difference),
 * difference; and checks that the rewrite really ran wherever it made probes.
 */
export function summarize(results) {
  const groups = new Map();
  const differences = [];
  const plainFailures = [];
  const silent = [];
  const harnessErrors = [];
  const total = { entry: 0, return: 0, error: 0 };
  for (const [file, result] of [...results].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const name = groupOf(file);
    let g = groups.get(name);
    if (g === undefined) {
      g = { files: 0, runs: 0, same: 0, plainFail: 0, differ: 0, instrumented: 0, notParsed: 0, fired: 0 };
      groups.set(name, g);
    }
    g.files++;
    const rel = relative(LANG, file);
    const rows = variantsOf(result);
    if (rows[0]?.harnessError !== undefined) {
      harnessErrors.push({ file: rel, error: rows[0].harnessError });
      continue;
    }
    let plainFailed = false;
    let differs = false;
    let instrumented = false;
    let notParsed = false;
    for (const r of rows) {
      g.runs++;
      if (!r.plain.pass) plainFailed = true;
      if (key(r.plain) !== key(r.traced)) {
        differs = true;
        const entry = { file: rel, variant: r.variant, plain: describe(r.plain), traced: describe(r.traced) };
        if (r.plain.pass) differences.push(entry);
        else plainFailures.push({ ...entry, tracedDiffers: true });
      }
      if (r.sites > 0) instrumented = true;
      if (r.skip !== null && r.plain.phase !== 'parse') notParsed = true;
      if (r.fired !== null) {
        const n = r.fired.entry + r.fired.return + r.fired.error;
        g.fired += n;
        total.entry += r.fired.entry;
        total.return += r.fired.return;
        total.error += r.fired.error;
      }
      // The module header registers the probes first thing: sites without probes mean the rewritten code never ran.
      if (
        r.sites > 0 &&
        r.probes === 0 &&
        r.plain.pass &&
        key(r.plain) === key(r.traced) &&
        r.plain.phase !== 'parse' &&
        r.plain.phase !== 'resolution'
      ) {
        silent.push({ file: rel, variant: r.variant, sites: r.sites });
      }
    }
    if (plainFailed) {
      g.plainFail++;
      if (!differs)
        plainFailures.push({
          file: rel,
          variant: rows.find((r) => !r.plain.pass).variant,
          plain: describe(rows.find((r) => !r.plain.pass).plain),
          tracedDiffers: false,
        });
    } else if (differs) g.differ++;
    else g.same++;
    if (instrumented) g.instrumented++;
    if (notParsed) g.notParsed++;
  }
  return { groups, differences, plainFailures, silent, harnessErrors, total };
}

export function printSummary(s, out = process.stdout) {
  const rows = [['directory', 'files', 'runs', 'same', 'differ', 'plain-fail', 'instrumented', 'acorn-skip', 'probe firings']];
  const sum = { files: 0, runs: 0, same: 0, differ: 0, plainFail: 0, instrumented: 0, notParsed: 0, fired: 0 };
  for (const [name, g] of [...s.groups].sort()) {
    rows.push([name, g.files, g.runs, g.same, g.differ, g.plainFail, g.instrumented, g.notParsed, g.fired]);
    for (const k of Object.keys(sum)) sum[k] += g[k];
  }
  rows.push(['total', sum.files, sum.runs, sum.same, sum.differ, sum.plainFail, sum.instrumented, sum.notParsed, sum.fired]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows)
    out.write(`${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')}\n`);
  out.write(`probe firings: ${s.total.entry} entry, ${s.total.return} return, ${s.total.error} error\n`);
  out.write(`\ndifferences (plain passes, traced does not behave the same): ${s.differences.length}\n`);
  for (const d of s.differences) out.write(`  ${d.file} [${d.variant}]\n    plain:  ${d.plain}\n    traced: ${d.traced}\n`);
  const alsoDiffer = s.plainFailures.filter((p) => p.tracedDiffers);
  out.write(
    `\nplain run fails on Node ${process.version}: ${new Set(s.plainFailures.map((p) => p.file)).size} files (not differences; ${alsoDiffer.length} of their runs end differently when traced)\n`,
  );
  if (s.silent.length > 0) {
    out.write(`\nREWRITE DID NOT RUN (sites made, no probe registered): ${s.silent.length}\n`);
    for (const x of s.silent) out.write(`  ${x.file} [${x.variant}] ${x.sites} sites\n`);
  }
  if (s.harnessErrors.length > 0) {
    out.write(`\nHARNESS ERRORS: ${s.harnessErrors.length}\n`);
    for (const x of s.harnessErrors.slice(0, 20)) out.write(`  ${x.file}: ${x.error.split('\n')[0]}\n`);
  }
  return sum;
}
