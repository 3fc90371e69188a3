import { createRequire } from 'node:module';

type Width = (text: string) => number;
let measure: Width | null = null;

/** The terminal columns `text` takes: a wide character counts two, a combining mark none. */
export function displayWidth(text: string): number {
  if (/^[\x00-\x7f]*$/.test(text)) return text.length;
  measure ??= loadMeasure();
  return measure(text);
}

/** Loaded at the first line that is not ASCII: a traced process that renders none never resolves it. */
function loadMeasure(): Width {
  try {
    return (createRequire(import.meta.url)('string-width') as { default: Width }).default;
  } catch (e) {
    // require() of an ES module needs Node 20.19 or 22.12; before them a column is a UTF-16 unit.
    if ((e as { code?: unknown }).code !== 'ERR_REQUIRE_ESM') throw e;
    return (text) => text.length;
  }
}
