import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App, startFirstLoad } from './App';
import { firstScreenSet } from './store';
import './styles.css';

const firstLoad = startFirstLoad();
firstLoad.catch(() => undefined); // App says what failed
// The first render draws the list's first screen rather than a skeleton then the rows (two
// renders and a frame more), when its answer is in soon; else the skeleton, at once.
const soon = new Promise<void>((done) => setTimeout(done, 100));
Promise.race([firstScreenSet, soon]).then(() => {
  const root = createRoot(document.getElementById('root')!);
  // Now, not in a later task: the full list's answer is read after the frame that shows these rows.
  flushSync(() => root.render(<App firstLoad={firstLoad} />));
});
