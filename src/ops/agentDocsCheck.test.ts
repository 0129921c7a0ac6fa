import { describe, expect, it } from 'vitest';
import { SECTION_BODY } from './agentsSection.js';
import { checkAgentDocs, commandTable } from './agentDocsCheck.js';

describe('the check of tack commands named in AGENTS.md', () => {
  it('accepts the section tack setup agents writes', async () => {
    expect(checkAgentDocs(SECTION_BODY, await commandTable())).toEqual([]);
  });

  it('flags commands and flags that do not exist, in code spans and fenced blocks, with their line', async () => {
    const table = await commandTable();
    const text = [
      'Tack tracks work; run `tack ready --for agent --claim` then `tack brief ID`.', // 1: fine
      'Use `tack finish ID` when done, or `tack close ID --resolution "x"`.', // 2: two problems
      '```sh',
      'TACK_USER=bot tack label add tk-1 ui && tack list -s todo --status done --no-all', // 4: fine
      '$ tack sumbit ID --criteria "--not-a-flag"', // 5: unknown command
      'tack list -Z', // 6: unknown short flag
      '```',
      'In prose tack finish is not code; `git commit -m "tack x"` is not tack.', // 8: nothing
      '`tack mcp --whatever` `tack --help` `tack docs show docs/a.md --offset 3` `tack -C dir list`', // 9: fine
    ].join('\n');
    expect(checkAgentDocs(text, table)).toEqual([
      { line: 2, message: '`tack finish` is not a tack command' },
      { line: 2, message: '`tack close` has no flag --resolution' },
      { line: 5, message: '`tack sumbit` is not a tack command' },
      { line: 6, message: '`tack list` has no flag -Z' },
    ]);
  });
});
