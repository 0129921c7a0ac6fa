import { labelColour } from './labelColour';

/** Up to two letters for a name: "Ada Lovelace" → "AL", "bob" → "BO", "claude-42" → "C4". */
export function initials(name: string): string {
  const words = name.split(/[\s._@-]+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[1][0] : (words[0] ?? name).slice(0, 2);
  return letters.toUpperCase();
}

/** A person's initials on their colour (the same for them everywhere, like a label's). */
export function Avatar({ name }: { name: string }) {
  return (
    <span className="avatar" style={{ background: labelColour(name) }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
