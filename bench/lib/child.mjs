// Takes one sample of one variant in a fresh process, so no JIT state leaks between
// variants: `node --expose-gc bench/lib/child.mjs BENCH_FILE CASE VARIANT`.
import { pathToFileURL } from 'node:url';

const [file, caseName, variant] = process.argv.slice(2);
const bench = await import(pathToFileURL(file).href);
const value = await bench.sample(caseName, variant);
process.stdout.write(`\n${JSON.stringify({ value, notes: bench.notes?.() ?? [] })}\n`);
