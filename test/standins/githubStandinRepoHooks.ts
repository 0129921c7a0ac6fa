import { checkBody, createHookRules, hookConfigRules, listHooksQuery, type FieldRule } from './githubStandinSchemas.js';
import { HttpError, paginate, send, type Ctx, type Handler } from './githubStandinHttp.js';

/** A repository webhook as GitHub stores it (the secret is never shown back). */
export interface RepoHook {
  id: number;
  type: 'Repository';
  name: 'web';
  active: boolean;
  events: string[];
  config: { url: string; content_type: string; insecure_ssl: string; secret?: string };
  created_at: string;
  updated_at: string;
}

export interface RepoHookApi {
  base(): string;
  now(): string;
  validate(c: Ctx, rules: Record<string, FieldRule>, where: 'body' | 'query'): void;
  violation(problem: string): void;
  /** A hook was created: deliveries go to `url`, signed with `secret`. */
  created(url: string, secret: string): void;
}

/**
 * `GET` and `POST /repos/{owner}/{repo}/hooks`, bodies checked against
 * @octokit/openapi-types. Like GitHub, a second hook for the same URL is refused (422).
 */
export function repoHookRoutes(api: RepoHookApi, hooks: RepoHook[]): [string, Handler][] {
  const shown = (h: RepoHook) => ({
    ...h,
    config: { ...h.config, ...(h.config.secret ? { secret: '********' } : {}) },
  });
  function list(c: Ctx): void {
    api.validate(c, listHooksQuery, 'query');
    paginate(c, api.base(), hooks.map(shown));
  }
  function create(c: Ctx): void {
    const b = (typeof c.body === 'object' && c.body !== null ? c.body : {}) as {
      name?: string;
      config?: unknown;
      events?: string[];
      active?: boolean;
    };
    const { config: rawConfig, ...rest } = b;
    const problems = [
      ...checkBody(c.body === b ? rest : c.body, createHookRules),
      ...(rawConfig === undefined ? ['missing required field "config"'] : checkBody(rawConfig, hookConfigRules)),
    ];
    if (b.name !== undefined && b.name !== 'web') problems.push('"name" must be "web"');
    const config = rawConfig as RepoHook['config'];
    if (!problems.length && hooks.some((h) => h.config.url === config.url)) {
      throw new HttpError(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' }],
      });
    }
    if (problems.length) {
      api.violation(`POST ${c.url.pathname}: ${problems.join('; ')}`);
      throw new HttpError(422, {
        message: 'Validation Failed',
        errors: problems.map((p) => ({ resource: 'Hook', code: 'invalid', message: p })),
      });
    }
    const at = api.now();
    const hook: RepoHook = {
      id: hooks.length + 1,
      type: 'Repository',
      name: 'web',
      active: b.active ?? true,
      events: b.events ?? ['push'],
      config: {
        url: config.url,
        content_type: config.content_type ?? 'form',
        insecure_ssl: config.insecure_ssl ?? '0',
        ...(config.secret ? { secret: config.secret } : {}),
      },
      created_at: at,
      updated_at: at,
    };
    hooks.push(hook);
    api.created(hook.config.url, hook.config.secret ?? '');
    send(c.res, 201, shown(hook));
  }
  return [
    ['GET', list],
    ['POST', create],
  ];
}
