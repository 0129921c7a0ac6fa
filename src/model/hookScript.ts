import { RESERVATIONS_REF } from './reservation.js';

/**
 * The git hooks `tack hooks install` writes. Each runs the hook it replaced first (kept
 * next to it as `<name>.pre-tack`, with the same arguments and stdin) and exits with that
 * hook's status, so the user's hook behaves as before. Then it asks Tack, in the
 * background, to link new commits; Tack's output and any failure go to
 * `.git/tack/hooks.log`, never to the git command, which Tack never fails, blocks or slows
 * — but for pre-commit, which warns about (or, when asked, refuses) staged paths that
 * someone else reserved.
 */
export const HOOK_MARKER = '# tack-hook v1';
export const CHAINED_SUFFIX = '.pre-tack';
export const HOOK_NAMES = ['pre-commit', 'post-commit', 'post-merge', 'post-rewrite', 'post-checkout'] as const;

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * `node` and `bin`: the interpreter and CLI that installed the hook, used while they
 * exist; otherwise whatever `tack` is on PATH. `stateDir`: the repository's `.git/tack`
 * (shared by its worktrees), where the mark for the next command and the log go.
 *
 * Only shell builtins run before the hook returns (git waits for nothing else): the
 * mark that tells the next `tack` command to wait for the scan, and a background
 * subshell that does the rest (the rebase check, the log, finding tack, the scan).
 */
export function hookScript(name: string, node: string, bin: string, stateDir: string): string {
  if (name === 'pre-commit') return preCommitScript(node, bin);
  // post-checkout of a file (flag 0) moves no branch: nothing to scan. During a rebase,
  // post-commit runs for every picked commit: post-rewrite scans them once at the end.
  const skip = name === 'post-checkout' ? '[ "$3" = "0" ] && exit $status\n' : '';
  const rebase =
    name === 'post-commit'
      ? '  if [ -d "$(git rev-parse --git-path rebase-merge)" ]; then rm -f "$mark"; exit 0; fi\n'
      : '';
  return `#!/bin/sh
${HOOK_MARKER} (installed by \`tack hooks install\`; \`tack hooks uninstall\` puts back the hook it replaced)
status=0
chained="$0${CHAINED_SUFFIX}"
if [ -x "$chained" ]; then
  "$chained" "$@"
  status=$?
fi
${skip}tack_node=${shQuote(node)}
tack_bin=${shQuote(bin)}
state=${shQuote(stateDir)}
[ -d "$state" ] || state="$(git rev-parse --git-common-dir 2>/dev/null)/tack"
mark="$state/scan-pending"
# \`true\`, not \`:\`: a failed redirection of a special builtin would end the hook.
[ -d "$state" ] && true >"$mark" 2>/dev/null
(
${rebase}  log="$state/hooks.log"
  mkdir -p "$state" 2>/dev/null || log=/dev/null
  # Keep the log small: past 1 MB only its last 200 kB stay.
  if [ -f "$log" ] && [ "$(wc -c <"$log")" -gt 1000000 ]; then
    tail -c 200000 "$log" >"$log.tmp" 2>/dev/null && mv "$log.tmp" "$log"
  fi
  if [ -x "$tack_node" ] && [ -f "$tack_bin" ]; then
    set -- "$tack_node" "$tack_bin"
  elif command -v tack >/dev/null 2>&1; then
    set -- tack
  else
    rm -f "$mark"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) ${name}: tack not found (was $tack_bin); commits not linked" >>"$log" 2>/dev/null
    exit 0
  fi
  unset GIT_INDEX_FILE
  {
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) ${name}"
    "$@" commits scan --hook 2>&1 || echo "tack commits scan failed (exit $?); run it by hand to see why"
  } >>"$log" 2>/dev/null
) </dev/null >/dev/null 2>&1 &
exit $status
`;
}

/**
 * pre-commit: the one hook that may stop a commit, and only for reservations. The user's
 * hook runs first and its refusal stands. Without a reservations ref nothing else starts
 * (one git call); with one, Tack checks the staged paths from local state (no network)
 * and exit code 4 (code \`reserved\`, refuse mode) refuses the commit. Any other failure of
 * Tack lets the commit through: a broken tracker never blocks work.
 */
function preCommitScript(node: string, bin: string): string {
  return `#!/bin/sh
${HOOK_MARKER} (installed by \`tack hooks install\`; \`tack hooks uninstall\` puts back the hook it replaced)
chained="$0${CHAINED_SUFFIX}"
if [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi
git show-ref --verify --quiet ${RESERVATIONS_REF} || exit 0
tack_node=${shQuote(node)}
tack_bin=${shQuote(bin)}
if [ -x "$tack_node" ] && [ -f "$tack_bin" ]; then
  set -- "$tack_node" "$tack_bin"
elif command -v tack >/dev/null 2>&1; then
  set -- tack
else
  exit 0
fi
out=$("$@" reservations check --hook </dev/null 2>&1)
status=$?
[ -n "$out" ] && printf '%s\n' "$out" >&2
[ "$status" -eq 4 ] && exit 1
exit 0
`;
}

export function isTackHook(text: string): boolean {
  return text.includes(HOOK_MARKER);
}
