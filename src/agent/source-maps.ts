/**
 * Node's source maps, on while a TypeScript monitor compiled by mscope is loaded: its inline
 * map then names the `.ts` file in stacks, as tsx (which turned them on for good) did. V8 asks
 * for the map when a stack is formatted, so they stay on until the last such monitor finishes,
 * and are then put back as they were (an attached process is left as found).
 */
let holders = 0;
let before = false;

export function holdSourceMaps(): void {
  if (holders++ === 0) {
    before = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(true);
  }
}

export function releaseSourceMaps(): void {
  if (holders > 0 && --holders === 0 && !before) process.setSourceMapsEnabled(false);
}
