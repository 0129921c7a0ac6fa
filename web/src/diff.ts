// The one line diff, shared with the three-way merge (capped, so a huge document cannot
// exhaust the page's memory).
export { type DiffLine, lineDiff } from '../../src/model/lineDiff';
