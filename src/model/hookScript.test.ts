import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HOOK_NAMES, hookScript, isTackHook } from './hookScript.js';

describe('hookScript', () => {
  it('is valid sh for every hook, quotes odd paths, and is recognisable as ours', () => {
    for (const name of HOOK_NAMES) {
      const text = hookScript(name, "/opt/no'de/bin/node", '/home/a b/tack.cjs', '/repo/.git/tack');
      expect(spawnSync('sh', ['-n'], { input: text }).status, name).toBe(0);
      expect(text).toContain(`tack_node='/opt/no'\\''de/bin/node'`);
      expect(text).toContain(`tack_bin='/home/a b/tack.cjs'`);
      expect(isTackHook(text)).toBe(true);
    }
    expect(isTackHook('#!/bin/sh\nnpx lint-staged\n')).toBe(false);
  });

  it('runs nothing but shell builtins before it returns: the scan and its checks go to the background', () => {
    const text = hookScript('post-commit', '/usr/bin/node', '/opt/tack.cjs', '/repo/.git/tack');
    const foreground = text.slice(0, text.indexOf('\n(\n'));
    // The one git call is the fallback for a repository moved since the install.
    expect(foreground.match(/\$\(git /g)).toHaveLength(1);
    expect(foreground).toContain('[ -d "$state" ] || state="$(git rev-parse');
    expect(foreground).not.toMatch(/commits scan|wc -c|date -u/);
    expect(text).toMatch(/\) <\/dev\/null >\/dev\/null 2>&1 &\nexit \$status\n$/);
  });
});
