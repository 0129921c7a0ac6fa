import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './renderMarkdown';

describe('renderMarkdown', () => {
  it("renders markdown with the store's links as app links", () => {
    expect(renderMarkdown('# T\n\nsee +tk-3fa9 and **bold**')).toBe(
      '<h1>T</h1>\n<p>see <a href="/t/tk-3fa9">+tk-3fa9</a> and <strong>bold</strong></p>\n',
    );
  });

  it('never lets the text run script', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [ok](https://example.com) [x](JaVaScRiPt:alert(1))',
    );
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('&lt;script>');
    expect(html).toContain('<a href="https://example.com">ok</a>');
    expect(html).toContain('click');
  });
});
