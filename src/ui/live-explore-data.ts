import type { AcctRecord } from '../accounting/index.js';
import { ExploreData, type ExploreSource } from './explore-data.js';

/** How stale a live page's data may be: a rebuild sorts every axis, so it is not done per request. */
export const LIVE_REBUILD_MS = 500;

/**
 * The activities of a run still going (`mscope run --explore`): records are appended as the
 * traced processes send them, and the columns are rebuilt when a request finds new ones,
 * at most once per LIVE_REBUILD_MS.
 */
export class LiveExploreData implements ExploreSource {
  private readonly records: AcctRecord[] = [];
  private snapshot: ExploreData;
  private builtAt = 0;

  constructor(private readonly path: string) {
    this.snapshot = this.build();
  }

  add(record: AcctRecord): void {
    this.records.push(record);
  }

  get size(): number {
    return this.records.length;
  }

  current(): ExploreData {
    if (this.snapshot.size !== this.records.length && performance.now() - this.builtAt >= LIVE_REBUILD_MS) this.snapshot = this.build();
    return this.snapshot;
  }

  private build(): ExploreData {
    this.builtAt = performance.now();
    return new ExploreData(this.records.slice(), { path: this.path, run: null, live: true });
  }
}
