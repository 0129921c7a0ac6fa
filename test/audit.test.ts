import { describe, expect, it } from 'vitest';
import { tackFail, tempStore, trackCleanups } from './helpers.js';

const cleanup = trackCleanups();

/* Findings of the audit of the agent, trigger and workspace work that fit no other file. */
describe('audit: error messages say what was expected and what was received', () => {
  it('an option given without its value names the values it takes', () => {
    const s = tempStore();
    cleanup(s.cleanup);
    const reviewed = tackFail(s.dir, 'list', '--reviewed');
    expect(reviewed.error.code).toBe('invalid_input');
    expect(reviewed.error.message).toContain(
      '--reviewed needs a value; expected one of: any, approved, rejected; received none',
    );
    const status = tackFail(s.dir, 'list', '-s');
    expect(status.error.message).toContain('--status needs a value; expected only these states');
  });
});
