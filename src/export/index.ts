export { RecordStore, readStore, type StoreOptions } from './store.js';
export { reportFile } from './report.js';
