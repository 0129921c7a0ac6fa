import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HOOK_NAMES, hookScript, isTackHook } from './hookScript.js';

describe('hookScript', () => {
  it('is valid sh for every hook, quotes odd paths, and is recognisable as ours', () => {
    for (const name of HOOK_NAMES) {
      const text = hookScript(name, "/opt/no'de/bin/node", '/home/a b/tack.cjs');
      expect(spawnSync('sh', ['-n'], { input: text }).status, name).toBe(0);
      expect(text).toContain(`tack_node='/opt/no'\\''de/bin/node'`);
      expect(text).toContain(`tack_bin='/home/a b/tack.cjs'`);
      expect(isTackHook(text)).toBe(true);
    }
    expect(isTackHook('#!/bin/sh\nnpx lint-staged\n')).toBe(false);
  });
});
