import { useEffect, useState } from 'react';
import type { FieldDef, Schema, TicketDetails } from './api';
import { ChoicePicker } from './ChoicePicker';

type Update = (patch: Record<string, unknown>) => unknown;

/** A custom field's value as text for its input ("" when unset; a list joined by commas). */
export function fieldText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

/** The write that sets a custom field to what was typed or picked ("" unsets it). */
export function fieldPatch(name: string, text: string): Record<string, unknown> {
  return text.trim() === '' ? { unset: [name] } : { field: [`${name}=${text.trim()}`] };
}

/**
 * The ticket's project and the custom fields its schema declares (an estimate, a due date,
 * any enum), each edited in place: a pick writes at once, typed text when it is left.
 */
export function FieldsPanel({ t, schema, update }: { t: TicketDetails; schema: Schema; update: Update }) {
  const projects = schema.projects ?? [];
  return (
    <>
      {(projects.length > 0 || t.project) && (
        <div className="field">
          <span aria-hidden="true">Project</span>
          <ChoicePicker
            label="project"
            value={t.project ?? null}
            empty="No project"
            choices={[
              { value: 'none', name: 'No project', view: <span className="muted">No project</span> },
              ...(t.project && !projects.some((p) => p.key === t.project) ? [{ value: t.project }] : []),
              ...projects.map((p) => ({ value: p.key, name: p.name, view: <>{p.name || p.key}</> })),
            ]}
            pick={(v) => update({ project: v })}
          />
        </div>
      )}
      {(schema.fields ?? []).map((f) => (
        <label key={f.name} title={f.description}>
          {f.name}
          <FieldInput def={f} value={(t as unknown as Record<string, unknown>)[f.name]} update={update} />
        </label>
      ))}
    </>
  );
}

function FieldInput({ def, value, update }: { def: FieldDef; value: unknown; update: Update }) {
  const shown = fieldText(value);
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]); // another writer's change shows
  const choices = def.type === 'enum' ? (def.values ?? []) : def.type === 'bool' ? ['true', 'false'] : null;
  if (choices)
    return (
      <select aria-label={def.name} value={shown} onChange={(e) => update(fieldPatch(def.name, e.target.value))}>
        <option value="">—</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {def.type === 'bool' ? (c === 'true' ? 'yes' : 'no') : c}
          </option>
        ))}
      </select>
    );
  const commit = () => text !== shown && update(fieldPatch(def.name, text));
  return (
    <input
      aria-label={def.name}
      type={def.type === 'date' ? 'date' : def.type === 'number' ? 'number' : 'text'}
      placeholder={def.type === 'list' ? 'a, b, c' : def.description}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        if (e.key === 'Escape') {
          e.stopPropagation();
          setText(shown);
        }
      }}
    />
  );
}
