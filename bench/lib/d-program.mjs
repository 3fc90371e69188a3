// A D program compiled and run in this process as a traced process runs it (direct binding),
// for benchmarks that measure what a clause costs at its probe site.

/** Compiles `text`, starts it, and returns its clauses' link handles; output goes nowhere (printed at exit, after the sample). */
export async function startProgram(text) {
  const { compile } = await import('../../dist/lang/index.js');
  const { ConsumerProgram } = await import('../../dist/consumer/consumer-program.js');
  const r = compile([{ file: 'bench.d', text }], { quiet: true });
  if (r.program === undefined) throw new Error(`bench: ${JSON.stringify(r.diagnostics)}`);
  const host = { output() {}, exit() {} };
  const instance = ConsumerProgram.solo(r.program, host);
  instance.start();
  return instance.linkHandles;
}
