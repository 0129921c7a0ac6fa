/** Human renderers for archive, restore, config and verify, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  archive: renderArchive,
  restore: renderMessage,
  config: renderMessage,
  verify: renderMessage,
};

function renderMessage(out: unknown): string {
  const o = out as { message?: string };
  return o.message ?? JSON.stringify(out, null, 2);
}

function renderArchive(out: unknown): string {
  const o = out as { message: string; commit: string | null };
  return o.commit
    ? `${o.message}\n(commit ${o.commit.slice(0, 10)}; \`tack list --archived\` shows them, \`tack restore ID\` brings one back)`
    : o.message;
}
