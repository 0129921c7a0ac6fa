/** The store's link syntax as markdown links: `+tk-3fa9`, `[[docs/x.md]]`, `#tag`. */
export function linkify(text: string): string {
  // Code (fenced blocks and inline spans) is left alone, as the store's parser does.
  return text
    .split(/(^(?:```|~~~)[^\n]*\n[\s\S]*?^(?:```|~~~)[ \t]*$|`[^`\n]*`)/m)
    .map((part, i) => (i % 2 ? part : linkifyText(part)))
    .join('');
}

function linkifyText(text: string): string {
  return text
    .replace(/\[\[([^\]|\n]+)(?:\|([^\]\n]*))?\]\]/g, (_, target: string, label?: string) => {
      const t = target.trim();
      return /^[a-z][a-z0-9]{0,9}-[0-9a-z]{3,}$/.test(t) ? `[${label ?? t}](/t/${t})` : `[${label ?? t}](/docs/${t})`;
    })
    .replace(
      /(^|[\s(,;])\+([a-z][a-z0-9]{0,9}-[0-9a-z]{3,})\b/g,
      (_, pre: string, id: string) => `${pre}[+${id}](/t/${id})`,
    )
    .replace(
      /(^|[\s(,;])#([A-Za-z][\w/-]*[\w])(?=$|[\s.,;:!?)])/gm,
      (_, pre: string, tag: string) => `${pre}[#${tag}](/tags/${tag.toLowerCase()})`,
    );
}
