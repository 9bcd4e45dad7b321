export { Checkpointer } from './checkpointer';
export { VersionHistory } from './history';
export { versionRoutes } from './routes';
export { editTextMiddle, transformChildren } from './restore';
