import { describe, expect, it } from 'vitest';
import {
  cleanTrailerValue,
  detectProvenance,
  provenanceOf,
  provenanceTrailers,
  TRAILER_VALUE_MAX,
} from './provenance.js';

describe('provenance', () => {
  it('a bare environment is a human; any harness variable makes an agent', () => {
    expect(detectProvenance({})).toEqual({ actor: 'human' });
    expect(detectProvenance({ CLAUDECODE: '1' })).toEqual({ actor: 'agent', harness: 'claude-code' });
    expect(detectProvenance({ CODEX_THREAD_ID: 't-1' })).toEqual({ actor: 'agent', harness: 'codex', session: 't-1' });
    expect(detectProvenance({ GEMINI_CLI: '1' }).harness).toBe('gemini-cli');
    expect(detectProvenance({ CURSOR_EXTENSION_HOST_ROLE: 'agent-exec' }).harness).toBe('cursor');
    expect(detectProvenance({ CURSOR_EXTENSION_HOST_ROLE: 'extension-host' })).toEqual({ actor: 'human' });
    expect(detectProvenance({ GEMINI_CLI: '' })).toEqual({ actor: 'human' });
  });

  it('explicit settings win over the MCP client, which wins over the environment', () => {
    const env = { CLAUDECODE: '1', TACK_AGENT: 'fixer', TACK_MODEL: 'm-1', TACK_SESSION: 's-9' };
    expect(detectProvenance(env, { name: 'inspector', version: '0.9' })).toEqual({
      actor: 'agent',
      agent: 'fixer',
      harness: 'inspector/0.9',
      model: 'm-1',
      session: 's-9',
    });
    expect(detectProvenance({ ...env, TACK_HARNESS: 'mine' }, { name: 'inspector' }).harness).toBe('mine');
    expect(detectProvenance({ ...env, TACK_ACTOR: 'human' }).actor).toBe('human');
    expect(detectProvenance({ TACK_ACTOR: 'Agent' }).actor).toBe('agent');
    expect(detectProvenance({}, { name: 42 })).toEqual({ actor: 'human' });
  });

  it('values are one line, bounded, and read back', () => {
    expect(cleanTrailerValue('bot\n\nTack-Ticket: X\r\u2028y\u202e')).toBe('bot Tack-Ticket: X y');
    expect(cleanTrailerValue('x'.repeat(1000))).toHaveLength(TRAILER_VALUE_MAX);
    const t = provenanceTrailers({ actor: 'agent', agent: 'a\nb', harness: '\n' });
    expect(t).toEqual([
      ['Tack-Actor', 'agent'],
      ['Tack-Agent', 'a b'],
    ]);
    expect(provenanceOf({ 'Tack-Actor': ['agent'], 'Tack-Agent': ['a b'] })).toEqual({ actor: 'agent', agent: 'a b' });
    expect(provenanceOf({ 'Tack-Actor': ['robot'] })).toBeNull();
  });
});
