import fs from 'node:fs';

/**
 * fs functions as loaded, before the fs provider can wrap them: accounting reads procfs at
 * segment boundaries and must neither fire fs probes nor charge itself to the activity.
 */
export const rawOpenSync = fs.openSync;
export const rawReadSync = fs.readSync;
export const rawCloseSync = fs.closeSync;
