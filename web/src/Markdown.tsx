import { marked } from 'marked';
import { useMemo } from 'react';
import { navigate } from './router';
import { linkify } from './linkify';

/**
 * Markdown from the store, rendered. Raw HTML in it is escaped, not rendered: a ticket
 * written by anyone must not run script in the reader's page.
 */
const renderer = new marked.Renderer();
renderer.html = ({ text }) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

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
