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
