/** The environment every process a test starts runs in (kept apart from helpers.ts so the global setup can use it). */

/** Environment for child processes: a fixed identity, no user/system git config. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...NO_HARNESS,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test User',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test User',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    TACK_USER: 'tester',
    NO_COLOR: '1',
    ...extra,
  };
}

/**
 * The variables provenance reads, emptied: the test runner may itself run under a coding
 * agent, whose variables would otherwise leak into every command.
 */
export const NO_HARNESS: Record<string, string> = Object.fromEntries(
  [
    'TACK_ACTOR',
    'TACK_AGENT',
    'TACK_HARNESS',
    'TACK_MODEL',
    'TACK_SESSION',
    'CLAUDECODE',
    'CLAUDE_CODE_SESSION_ID',
    'CODEX_SANDBOX',
    'CODEX_THREAD_ID',
    'CODEX_CI',
    'GEMINI_CLI',
    'CURSOR_AGENT',
    'CURSOR_EXTENSION_HOST_ROLE',
    'COPILOT_AGENT',
    'COPILOT_CLI',
    'OPENCODE',
  ].map((k) => [k, '']),
);
