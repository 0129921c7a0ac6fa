import { TackError } from '../../model/errors.js';
import type { ConnectionConfig, Connector, ConnectorFactory, ConnectorKind } from '../connector.js';

/**
 * How each kind of connection becomes a connector. Loaded lazily so a Linear sync never
 * loads octokit and the reverse. A connector module adds its line here.
 */
const FACTORIES: Partial<Record<ConnectorKind, () => Promise<ConnectorFactory>>> = {
  linear: async () => {
    const { LinearConnector } = await import('../linear/linearConnector.js');
    return (config, creds) => new LinearConnector(config, creds);
  },
  // -- connectors-b: GitHub and Trello --
  github: async () => {
    const { GithubConnector } = await import('../github/githubConnector.js');
    return (config, creds) => new GithubConnector(config, creds);
  },
  trello: async () => {
    const { TrelloConnector } = await import('../trello/trelloConnector.js');
    return (config, creds) => new TrelloConnector(config, creds);
  },
};

/** Environment variables that override a clone's saved credentials, per kind. */
export const CREDENTIAL_ENV: Record<ConnectorKind, Record<string, string>> = {
  linear: { apiKey: 'LINEAR_API_KEY', webhookSecret: 'LINEAR_WEBHOOK_SECRET' },
  github: { token: 'GITHUB_TOKEN', webhookSecret: 'GITHUB_WEBHOOK_SECRET' },
  trello: { key: 'TRELLO_KEY', token: 'TRELLO_TOKEN', secret: 'TRELLO_SECRET', webhookSecret: 'TRELLO_SECRET' },
};

export const KINDS: ConnectorKind[] = ['linear', 'github', 'trello'];

export function isKind(s: string | undefined): s is ConnectorKind {
  return KINDS.includes(s as ConnectorKind);
}

/** Saved credentials, overridden by the environment. */
export function resolveCredentials(kind: ConnectorKind, saved: Record<string, string>): Record<string, string> {
  const out = { ...saved };
  for (const [k, env] of Object.entries(CREDENTIAL_ENV[kind])) if (process.env[env]) out[k] = process.env[env]!;
  return out;
}

export async function makeConnector(config: ConnectionConfig, credentials: Record<string, string>): Promise<Connector> {
  const load = FACTORIES[config.kind];
  if (!load)
    throw new TackError(
      'invalid_input',
      `no ${config.kind} connector in this build; expected one of: ${Object.keys(FACTORIES).join(', ')}`,
    );
  const withSecret = { ...config, ...(credentials.webhookSecret ? { webhookSecret: credentials.webhookSecret } : {}) };
  return (await load())(withSecret, credentials);
}
