import { marked, type Tokens } from 'marked';
import { linkify } from './linkify';

/*
 * Markdown from the store, as HTML for the page. Anyone who can write a ticket writes
 * this text, so nothing in it may run script in the reader's page: raw HTML is shown as
 * text, and links with a script scheme are shown without their link.
 */
const renderer = new marked.Renderer();
renderer.html = ({ text }) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const baseLink = renderer.link;
renderer.link = function (this: typeof renderer, token: Tokens.Link) {
  if (/^\s*(javascript|vbscript|data):/i.test(token.href.replace(/[\u0000-\u001f]/g, '')))
    return this.parser.parseInline(token.tokens);
  return baseLink.call(this, token);
};

export function renderMarkdown(text: string): string {
  return marked.parse(linkify(text || ''), { renderer, async: false }) as string;
}
