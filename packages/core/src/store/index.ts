/** The store: portals, ghosts, message map, journal, logins and key/values on SQLite or PostgreSQL. */
export { openStore } from './open-store';
export type { StoreOptions, StoreEngine } from './store-options';
export { StoreError } from './store-error';
export { copyStore, type CopyReport } from './copy-store';
