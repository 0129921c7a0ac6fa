import { describe, expect, it } from 'vitest';
import { fieldPatch, fieldText } from './FieldsPanel';

describe('custom field text', () => {
  it('shows a value as text and writes text back as a field assignment, blank as unset', () => {
    expect(fieldText(undefined)).toBe('');
    expect(fieldText(null)).toBe('');
    expect(fieldText(['a', 'b'])).toBe('a, b');
    expect(fieldText(5)).toBe('5');
    expect(fieldText(false)).toBe('false');
    expect(fieldPatch('estimate', ' 5 ')).toEqual({ field: ['estimate=5'] });
    expect(fieldPatch('due', '')).toEqual({ unset: ['due'] });
    // A value with "=" in it stays whole (the name is what comes before the first "=").
    expect(fieldPatch('note', 'a=b')).toEqual({ field: ['note=a=b'] });
  });
});
