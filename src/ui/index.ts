export {
  ExploreData,
  binEdges,
  binOf,
  type Axis,
  type ExploreOrigin,
  type ExploreSource,
  type Selection,
  type SelectionResult,
  type AxisComparison,
} from './explore-data.js';
export { LiveExploreData, LIVE_REBUILD_MS } from './live-explore-data.js';
export { startExplorer, LINE_LIMIT, type Explorer, type ExplorerOptions } from './server.js';
export { TracedProcesses, type ProcessLinks } from './traced-processes.js';
export { functionsView, FUNCTIONS_INTERVAL_MS, type FunctionsView } from './functions-view.js';
