import { describe, expect, it } from 'vitest';
import { choiceOptions } from './ChoicePicker';

describe('the choices a picker lists', () => {
  const choices = [{ value: 'todo' }, { value: 'in-progress' }, { value: 'web', name: 'Web app' }];

  it('lists every choice with nothing typed, the current one ticked', () => {
    expect(choiceOptions(choices, '', 'todo').map((o) => [o.text, o.checked])).toEqual([
      ['todo', true],
      ['in-progress', false],
      ['web', false],
    ]);
  });

  it('narrows to the values or names that contain what was typed, in any case', () => {
    expect(choiceOptions(choices, 'PROG', null).map((o) => o.text)).toEqual(['in-progress']);
    expect(choiceOptions(choices, 'web a', null).map((o) => o.text)).toEqual(['web']);
    expect(choiceOptions(choices, 'zzz', null)).toEqual([]);
  });
});
