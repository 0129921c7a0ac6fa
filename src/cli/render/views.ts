/** Human renderers for saved views and doc versions, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  'view-list': renderViews,
  'view-save': (out) => {
    const o = out as { name: string; path: string; changed: boolean; commit: string | null };
    return o.changed
      ? `saved view ${o.name} (${o.path}, commit ${o.commit?.slice(0, 10)})`
      : `view ${o.name} unchanged`;
  },
  'view-delete': (out) => `deleted view ${(out as { name: string }).name}`,
  'docs-log': renderDocLog,
  whoami: (out) => (out as { user: string }).user,
};

function renderViews(out: unknown): string {
  const views = out as Array<{
    name: string;
    description: string | null;
    filters: Record<string, string>;
    problem?: string;
  }>;
  if (!views.length) return 'no saved views (tack view save <name> --filter status=todo ...)';
  const width = Math.max(...views.map((v) => v.name.length));
  return views
    .map((v) => {
      const filters = Object.entries(v.filters)
        .map(([k, x]) => `${k}=${x}`)
        .join(' ');
      return `${v.name.padEnd(width)}  ${v.problem ? `(unreadable: ${v.problem})` : filters || '(no filters)'}${v.description ? `  — ${v.description}` : ''}`;
    })
    .join('\n');
}

function renderDocLog(out: unknown): string {
  const o = out as {
    path: string;
    versions: Array<{ commit: string; time: string; author: string; subject: string; blob: string | null }>;
  };
  if (!o.versions.length) return `no committed versions of ${o.path}`;
  return o.versions
    .map(
      (v) =>
        `${v.commit.slice(0, 10)} ${v.time.slice(0, 16).replace('T', ' ')} ${v.author}  ${v.subject}${v.blob ? '' : ' (deleted)'}`,
    )
    .join('\n');
}
