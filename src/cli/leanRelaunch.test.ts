import { describe, expect, it } from 'vitest';
import { leanNodeFlags, relaunchLean } from './leanRelaunch.js';

// The relaunch itself (execve) is tested end to end in test/leanRelaunch.test.ts: here only
// what the relaunched process does with the mark it was given, which never relaunches.
const args = { cwd: '/', rest: ['reindex'], help: false, version: false };

describe('relaunchLean in the relaunched process', () => {
  it('takes MALLOC_ARENA_MAX out of the environment when it was set for the relaunch', () => {
    const env: NodeJS.ProcessEnv = { TACK_LEAN: 'arena', MALLOC_ARENA_MAX: '1', PATH: '/bin' };
    relaunchLean(args, env);
    expect(env).toEqual({ PATH: '/bin' });
  });

  it("keeps the user's own MALLOC_ARENA_MAX", () => {
    const env: NodeJS.ProcessEnv = { TACK_LEAN: 'kept', MALLOC_ARENA_MAX: '4' };
    relaunchLean(args, env);
    expect(env).toEqual({ MALLOC_ARENA_MAX: '4' });
  });
});

describe('leanNodeFlags', () => {
  it('stops optimizing at Maglev only where V8 has Maglev on (Node 24), never on Node 22', () => {
    expect(leanNodeFlags(22)).toEqual(['--optimize-for-size']);
    expect(leanNodeFlags(24)).toEqual(['--optimize-for-size', '--max-opt=2']);
    expect(leanNodeFlags(26)).toContain('--max-opt=2');
  });
});
