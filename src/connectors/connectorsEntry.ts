/**
 * The connectors surface's one entry module (dist/connectors.cjs): the CLI loads it for
 * `tack connect`, `tack sync <service>` and `tack connections`; the server for live mode.
 */
export type { Connector, RemoteIssue } from './connector.js';
