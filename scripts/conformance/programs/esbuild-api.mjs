// Drives esbuild's JS API (async, promises, a child process over a pipe): bundles microScope's
// own entry and prints the bundle and its inputs, so that any change in what esbuild returns shows.
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  write: false,
  metafile: true,
  logLevel: 'silent',
});
for (const [input, info] of Object.entries(result.metafile.inputs).sort()) process.stdout.write(`${info.bytes}\t${input}\n`);
process.stdout.write(result.outputFiles[0].text);
