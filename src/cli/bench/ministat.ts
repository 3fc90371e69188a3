import { sprintf } from '../../aggregate/index.js';
import { ministatRow, studentCompare, type MinistatRow, type StudentComparison } from '../../stats/index.js';

/** The data sets' marks, as ministat draws them: the first `x`, the second `+`, both `*`. */
const SYMBOLS = [' ', 'x', '+', '*'];
const PLOT_WIDTH = 74;

export interface MinistatReport {
  readonly rows: readonly [MinistatRow, MinistatRow];
  readonly comparison: StudentComparison;
}

export function ministatReport(baseline: readonly number[], sample: readonly number[], confidence: number): MinistatReport {
  const rows = [ministatRow(baseline), ministatRow(sample)] as const;
  return { rows, comparison: studentCompare(rows[0], rows[1], confidence) };
}

/** ministat's table and verdict, line for line in its layout (C's %g for every figure), and its plot if given. */
export function formatMinistat(report: MinistatReport, names: readonly [string, string], plot = ''): string {
  const lines = [
    `x ${names[0]}`,
    `+ ${names[1]}`,
    ...(plot === '' ? [] : [plot.trimEnd()]),
    '    N           Min           Max        Median           Avg        Stddev',
  ];
  report.rows.forEach((r, i) =>
    lines.push(sprintf('%s %3d %13.8g %13.8g %13.8g %13.8g %13.8g', SYMBOLS[i + 1]!, r.n, r.min, r.max, r.median, r.avg, r.stddev)),
  );
  const c = report.comparison;
  const level = sprintf('%.1f%%', c.confidence * 100);
  if (c.significant) {
    lines.push(
      `Difference at ${level} confidence`,
      sprintf('\t%g +/- %g', c.difference, c.halfWidth),
      sprintf('\t%g%% +/- %g%%', c.percent, c.percentHalfWidth),
      sprintf("\t(Student's t, pooled s = %g)", c.pooledStddev),
    );
  } else {
    lines.push(`No difference proven at ${level} confidence`);
  }
  return lines.join('\n') + '\n';
}

/**
 * ministat's plot: each value a mark in its column, stacked upwards where values share one
 * (`*` where both data sets do), then per data set its mean (A) and median (M) with a bar of
 * one standard deviation either side of the mean.
 */
export function formatMinistatPlot(samples: readonly [readonly number[], readonly number[]], rows: readonly MinistatRow[]): string {
  const all = [...samples[0], ...samples[1]];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const column = (x: number): number =>
    hi === lo ? Math.floor(PLOT_WIDTH / 2) : Math.max(0, Math.min(PLOT_WIDTH - 1, Math.round(((x - lo) / (hi - lo)) * (PLOT_WIDTH - 1))));
  const grid: number[][] = [];
  samples.forEach((xs, set) => {
    const bit = 1 << set;
    for (const x of xs) {
      const c = column(x);
      let r = 0;
      while (grid[r] !== undefined && (grid[r]![c]! & bit) !== 0) r++;
      grid[r] ??= new Array<number>(PLOT_WIDTH).fill(0);
      grid[r]![c]! |= bit;
    }
  });
  const border = `+${'-'.repeat(PLOT_WIDTH)}+`;
  const lines = [border];
  for (let r = grid.length - 1; r >= 0; r--) lines.push(`|${grid[r]!.map((m) => SYMBOLS[m]).join('')}|`);
  for (const row of rows) {
    const line = new Array<string>(PLOT_WIDTH).fill(' ');
    const left = column(row.avg - row.stddev);
    const right = column(row.avg + row.stddev);
    for (let c = left; c <= right; c++) line[c] = '_';
    line[left] = '|';
    line[right] = '|';
    line[column(row.median)] = 'M';
    line[column(row.avg)] = 'A';
    lines.push(`|${line.join('')}|`);
  }
  lines.push(border);
  return lines.join('\n') + '\n';
}
