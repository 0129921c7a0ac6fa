/**
 * The connectors surface's one entry module (dist/connectors.cjs): the CLI loads it for
 * `tack connect`, `tack sync <service>` and `tack connections`; the server for live mode.
 */
export { connectCommand, syncCommand, connectionsCommand } from './connectCommands.js';
export { asLivePass, runLivePass, startLiveSync, type LivePass, type LiveSync } from './engine/liveSync.js';
export type { Connector, RemoteIssue } from './connector.js';
