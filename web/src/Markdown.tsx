import { marked } from 'marked';
import { useMemo } from 'react';

/**
 * Markdown from the store, rendered. Raw HTML in it is escaped, not rendered: a ticket
 * written by anyone must not run script in the reader's page.
 */
const renderer = new marked.Renderer();
renderer.html = ({ text }) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => marked.parse(text || '', { renderer, async: false }) as string, [text]);
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
