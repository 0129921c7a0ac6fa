import { marked } from 'marked';
import { useMemo } from 'react';
import { navigate } from './router';

/**
 * Markdown from the store, rendered. Raw HTML in it is escaped, not rendered: a ticket
 * written by anyone must not run script in the reader's page.
 */
const renderer = new marked.Renderer();
renderer.html = ({ text }) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The store's link syntax as markdown links: `+tk-3fa9`, `[[docs/x.md]]`, `#tag`. */
export function linkify(text: string): string {
  // Code (fenced blocks and inline spans) is left alone, as the store's parser does.
  return text.split(/(^(?:```|~~~)[^\n]*\n[\s\S]*?^(?:```|~~~)[ \t]*$|`[^`\n]*`)/m).map((part, i) => (i % 2 ? part : linkifyText(part))).join('');
}

function linkifyText(text: string): string {
  return text
    .replace(/\[\[([^\]|\n]+)(?:\|([^\]\n]*))?\]\]/g, (_, target: string, label?: string) => {
      const t = target.trim();
      return /^[a-z][a-z0-9]{0,9}-[0-9a-z]{3,}$/.test(t) ? `[${label ?? t}](/t/${t})` : `[${label ?? t}](/docs/${t})`;
    })
    .replace(/(^|[\s(,;])\+([a-z][a-z0-9]{0,9}-[0-9a-z]{3,})\b/g, (_, pre: string, id: string) => `${pre}[+${id}](/t/${id})`)
    .replace(/(^|[\s(,;])#([A-Za-z][\w/-]*[\w])(?=$|[\s.,;:!?)])/gm, (_, pre: string, tag: string) => `${pre}[#${tag}](/tags/${tag.toLowerCase()})`);
}

export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => marked.parse(linkify(text || ''), { renderer, async: false }) as string, [text]);
  // Links inside the app move within it; others open as usual.
  const onClick = (e: React.MouseEvent) => {
    const a = (e.target as HTMLElement).closest('a');
    const href = a?.getAttribute('href');
    if (href && /^\/(t|docs|tags)\//.test(href) && !e.metaKey && !e.ctrlKey) {
      e.preventDefault();
      navigate(href);
    }
  };
  return <div className="markdown" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
