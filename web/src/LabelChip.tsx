import { labelColour } from './labelColour';

/** A label as shown everywhere (rows, cards, pickers): its colour, its name, and × when it can be removed. */
export function LabelChip({ name, onRemove }: { name: string; onRemove?: () => void }) {
  return (
    <span className="label chip">
      <span className="swatch" style={{ background: labelColour(name) }} aria-hidden="true" />
      {name}
      {onRemove && (
        <button type="button" className="chip-x" aria-label={`remove label ${name}`} onClick={onRemove}>
          ×
        </button>
      )}
    </span>
  );
}
