import { registerBinding } from '../link.js';
import { createMessageBinding } from './message.js';
import { createShmBinding } from './shm.js';

registerBinding('shm', (_monitor, _id, _description, ctx) => createShmBinding(ctx));
registerBinding('message', (_monitor, _id, _description, ctx) => createMessageBinding(ctx));
