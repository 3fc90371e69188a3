import assert from 'node:assert/strict';
import { compile, type CompiledProgram } from '../../src/lang/index.js';

/** `text` compiled quietly as `file`, failing the test with its diagnostics when it does not compile. */
export function compiled(file: string, text: string): CompiledProgram {
  const r = compile([{ file, text }], { quiet: true });
  assert.deepEqual(r.diagnostics, []);
  return r.program!;
}
