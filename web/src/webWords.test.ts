import { describe, expect, it } from 'vitest';
import { webWords } from './webWords';

// Real messages of the server (src/ops, src/index, src/store), as a web request can meet them.
const CASES: Array<[code: string, server: string, web: string]> = [
  [
    'invalid_input',
    'nothing to update; expected at least one field option (see `tack update --help`)',
    'nothing to update; expected at least one field option',
  ],
  [
    'not_found',
    'no saved view "triage" (views/triage.yaml); see `tack view list`',
    'no saved view "triage" (views/triage.yaml)',
  ],
  [
    'conflict',
    'other tickets point at tk-1: tk-2 (parent tk-1); expected none (remove the links, or use --force to drop them in the same commit)',
    'other tickets point at tk-1: tk-2 (parent tk-1); expected none (remove the links, or use “force” to drop them in the same commit)',
  ],
  [
    'invalid_input',
    'tk-9 is not archived or deleted; to bring back an older version, name it with --at REV (see `tack log tk-9`)',
    'tk-9 is not archived or deleted; to bring back an older version, name it with “at” REV',
  ],
  [
    'not_found',
    'tk-9 has no file at abc (abcdef12); expected a revision where it existed (see `tack log tk-9`)',
    'tk-9 has no file at abc (abcdef12); expected a revision where it existed',
  ],
  [
    'conflict',
    'tk-9 was finished by ann at 2026-12-01 (commit 0123456789ab), which this clone has not seen yet; expected open work (run `tack sync` to see it)',
    'tk-9 was finished by ann at 2026-12-01 (commit 0123456789ab), which this clone has not seen yet; expected open work',
  ],
  [
    'invalid_input',
    'you hold no live claim on tk-9 to renew; expected one (claim it with `tack claim tk-9`)',
    'you hold no live claim on tk-9 to renew; expected one',
  ],
  [
    'conflict',
    'origin kept changing refs/notes/tack while syncing; run `tack sync` again',
    'origin kept changing refs/notes/tack while syncing',
  ],
  [
    'parse_error',
    'tickets/tk-9.md:4: priority must be one of none, low (repair it with `tack edit`)',
    'tickets/tk-9.md:4: priority must be one of none, low',
  ],
  [
    'not_found',
    '"work:tk-9" names a ticket of the workspace store "work"; this command changes this clone\'s store only — run it in that store\'s repository (`tack -C PATH …`; `tack workspace list` shows the paths)',
    '"work:tk-9" names a ticket of the workspace store "work"; this command changes this clone\'s store only — run it in that store\'s repository',
  ],
  [
    'forbidden',
    'tk-9 cannot be completed by an agent: submit it for review (`tack submit`) so a person closes it, or set `gates: { complete_by: anyone }` in schema.yaml',
    'tk-9 cannot be completed by an agent: submit it for review so a person closes it, or set `gates: { complete_by: anyone }` in schema.yaml',
  ],
  [
    'forbidden',
    'tk-9 has no acceptance criteria: it is moving to done. Add a "## Acceptance criteria" section to its description (`tack update tk-9 --description TEXT` or `tack edit tk-9`) first, or set `gates: { criteria_before: any }` in schema.yaml',
    'tk-9 has no acceptance criteria: it is moving to done. Add a "## Acceptance criteria" section to its description first, or set `gates: { criteria_before: any }` in schema.yaml',
  ],
  [
    'invalid_input',
    '--done-before "soon" is neither a duration nor a date; expected e.g. 30d, 2w or 2026-11-01',
    '“done before” "soon" is neither a duration nor a date; expected e.g. 30d, 2w or 2026-11-01',
  ],
  [
    'no_store',
    'the index has no schema; expected an initialised store (run `tack init`)',
    'the index has no schema; expected an initialised store',
  ],
  [
    'invalid_input',
    "not pushing: tk-1 has git conflict markers (a git merge made without Tack's merge driver); run `tack doctor --fix` to merge them again, then `tack sync`",
    "not pushing: tk-1 has git conflict markers (a git merge made without Tack's merge driver)",
  ],
  [
    'invalid_input',
    'ticket tk-9 has no conflict records; expected one listed by `tack conflicts`',
    'ticket tk-9 has no conflict records',
  ],
  ['conflict', 'see `tack sync`', 'Someone changed this meanwhile; reload to see their change, then try again.'],
  ['invalid_input', 'estimate must be a number; received "1e999"', 'estimate must be a number; received "1e999"'],
];

describe('server messages in the web', () => {
  it.each(CASES)('%s: %s', (code, server, web) => {
    expect(webWords(server, code)).toBe(web);
  });

  it('names no command and no flag in any of them', () => {
    for (const [code, server] of CASES) {
      const shown = webWords(server, code);
      expect(shown).not.toMatch(/`tack|\s--[a-z]/);
    }
  });
});
