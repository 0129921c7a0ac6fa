import { useEffect, useMemo, useState } from 'react';
import { navigate } from './router';

// The Markdown renderer (marked) is its own chunk: building its rules took 10–17 ms of every
// first paint, the list's included, which shows no Markdown. A ticket link asks for it at
// start (App.tsx), so it is in before the ticket is.
let render: ((text: string) => string) | null = null;
let loading: Promise<void> | null = null;

export function loadMarkdown(): Promise<void> {
  loading ??= import('./renderMarkdown').then(
    (m) => {
      render = m.renderMarkdown;
    },
    (e) => {
      loading = null; // asked again by the next Markdown shown
      throw e;
    },
  );
  return loading;
}

export function Markdown({ text }: { text: string }) {
  const [ready, setReady] = useState(render !== null);
  useEffect(() => {
    if (!ready)
      loadMarkdown().then(
        () => setReady(true),
        () => undefined,
      );
  }, [ready]);
  const html = useMemo(() => (ready && render ? render(text) : null), [text, ready]);
  // Links inside the app move within it; others open as usual.
  const onClick = (e: React.MouseEvent) => {
    const a = (e.target as HTMLElement).closest('a');
    const href = a?.getAttribute('href');
    if (href && /^\/(t|docs|tags)\//.test(href) && !e.metaKey && !e.ctrlKey) {
      e.preventDefault();
      navigate(href);
    }
  };
  // Until the renderer is in (a moment, once per page load): the text as it is written.
  if (html === null) return <div className="markdown pending">{text}</div>;
  // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown escapes raw HTML and allows only safe URLs
  return <div className="markdown" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
