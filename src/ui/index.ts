export { ExploreData, binEdges, binOf, type Axis, type Selection, type SelectionResult, type AxisComparison } from './explore-data.js';
export { startExplorer, LINE_LIMIT, type Explorer } from './server.js';
