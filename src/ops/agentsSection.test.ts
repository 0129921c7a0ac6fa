import { describe, expect, it } from 'vitest';
import { SECTION_BEGIN, SECTION_END, withAgentsSection } from './agentsSection.js';

describe('withAgentsSection', () => {
  it('creates a file with the section when there is none', () => {
    const text = withAgentsSection(null);
    expect(text).toContain(SECTION_BEGIN);
    expect(text).toContain('tack prime');
    // Work leaves the clone only when synced: the section says how (issue 18).
    expect(text).toContain('`tack sync`');
    expect(text).toContain('tack config agents.auto_sync true');
    // Waiting without polling (issue 18).
    expect(text).toContain('`tack wait --answered ID`');
    expect(withAgentsSection(text)).toBe(text);
  });

  it('appends to existing content and keeps it, idempotently', () => {
    const mine = '# Rules\n\nUse tabs.\n';
    const once = withAgentsSection(mine);
    expect(once.startsWith(mine)).toBe(true);
    expect(withAgentsSection(once)).toBe(once);
  });

  it('replaces an old section in place, keeping text before and after', () => {
    const old = `# Top\n\n${SECTION_BEGIN}\nold words\n${SECTION_END}\n\n## After\nkeep me\n`;
    const next = withAgentsSection(old);
    expect(next).not.toContain('old words');
    expect(next.startsWith('# Top\n\n')).toBe(true);
    expect(next.endsWith('\n## After\nkeep me\n')).toBe(true);
    expect(next.split(SECTION_BEGIN).length).toBe(2);
  });
});
