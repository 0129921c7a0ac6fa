import { describe, expect, it } from 'vitest';
import { PRIME_LIMIT, primeText } from './primeText.js';

const many = (n: number, status = 'todo') =>
  Array.from({ length: n }, (_, i) => ({ id: `tk-${i}`, title: 'x'.repeat(200), status }));

describe('primeText', () => {
  it('stays under the limit however much there is, shortening lists first', () => {
    const text = primeText({
      user: 'bot',
      ready: many(50),
      mine: many(50, 'in-progress'),
      claims: many(50),
      waiting_on_me: many(50, 'needs-context'),
    });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(PRIME_LIMIT);
    expect(text).toContain('tack brief ID');
    expect(text).toContain('tack wait --answered ID');
    expect(text).toContain('more');
  });
  it('says when nothing is ready', () => {
    expect(primeText({ user: 'bot', ready: [], mine: [], claims: [], waiting_on_me: [] })).toContain('nothing ready');
  });
});
