/** The marked section `tack setup agents` keeps in AGENTS.md / CLAUDE.md. */
export const SECTION_BEGIN = '<!-- tack:agents:begin (written by `tack setup agents`; edit outside the markers) -->';
export const SECTION_END = '<!-- tack:agents:end -->';

export const SECTION_BODY = `## Issue tracking: Tack

This repository tracks its work with Tack (tickets live in git). Start every session with
\`tack prime\` (what is ready, what you hold, the commands). Work one ticket at a time:
\`tack ready --for agent --claim\`, read \`tack brief ID\`, mention the id in your commits,
then \`tack submit ID --criteria "..." --instructions "..."\`. Missing context: \`tack ask ID "..."\`.
To wait for an answer, a review or ready work, \`tack wait --answered ID\` (\`--reviewed ID\`, \`--ready\`;
MCP: the \`wait\` tool) blocks until it happens instead of polling.
Your changes stay in this clone until \`tack sync\` (MCP: the \`sync\` tool) publishes them: sync after
each step, or once with \`tack config agents.auto_sync true\` to sync after every write.
Add \`--json\` for machine-readable output; \`tack mcp\` serves the same as MCP tools.`;

/**
 * The file's text with the section added (at the end) or replaced (between the markers);
 * everything outside the markers is kept byte for byte. Same input, same output: running
 * it again changes nothing.
 */
export function withAgentsSection(existing: string | null): string {
  const block = `${SECTION_BEGIN}\n${SECTION_BODY}\n${SECTION_END}\n`;
  if (existing === null || existing.trim() === '') return `# Agents\n\n${block}`;
  const b = existing.indexOf(SECTION_BEGIN);
  const e = existing.indexOf(SECTION_END, b);
  if (b >= 0 && e >= 0) {
    let after = existing.slice(e + SECTION_END.length);
    if (after.startsWith('\n')) after = after.slice(1);
    return existing.slice(0, b) + block + after;
  }
  return `${existing.replace(/\n*$/, '\n')}\n${block}`;
}
