// Writes test/durations.json from a vitest JSON report (`npx vitest run --reporter=json
// --outputFile=report.json`): each test file's time in seconds, which test/sequencer.ts uses
// to start the longest files first on a machine with no vitest cache (CI). Refresh it when
// files come or go or their times change a lot; a missing file only runs in a worse order.
// Usage: node scripts/testDurations.mjs report.json
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const [reportPath] = process.argv.slice(2);
if (!reportPath) {
  console.error('usage: node scripts/testDurations.mjs REPORT.json');
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
// The report may come from another checkout: paths are taken relative to the directory all
// its test files share (src/, test/ and web/ sit side by side in it).
const names = report.testResults.map((t) => t.name);
let runRoot = names[0];
while (!names.every((n) => n.startsWith(`${runRoot}/`))) runRoot = dirname(runRoot);
const rows = report.testResults
  .map((t) => [relative(runRoot, t.name), Math.round((t.endTime - t.startTime) / 100) / 10])
  .sort((a, b) => (a[0] < b[0] ? -1 : 1));
writeFileSync(
  resolve(import.meta.dirname, '..', 'test', 'durations.json'),
  `${JSON.stringify(Object.fromEntries(rows), null, 2)}\n`,
);
console.log(`test/durations.json: ${rows.length} files`);
