import type { Schema } from './api';
import type { Choice } from './ChoicePicker';
import { PriorityMark, StatusDot } from './TicketRow';

/** The schema's states as picker choices, each with its category's icon. */
export function statusChoices(schema: Schema | null): Choice[] {
  return (schema?.states ?? []).map((s) => ({
    value: s.name,
    view: (
      <>
        <StatusDot category={s.category} /> {s.name}
      </>
    ),
  }));
}

/** The schema's priorities as picker choices, each with its bars. */
export function priorityChoices(schema: Schema | null): Choice[] {
  return (schema?.priorities ?? []).map((p) => ({
    value: p,
    view: (
      <>
        <PriorityMark p={p} /> {p}
      </>
    ),
  }));
}

/** The schema's ticket types as picker choices. */
export function typeChoices(schema: Schema | null): Choice[] {
  return (schema?.types ?? []).map((x) => ({ value: x }));
}
