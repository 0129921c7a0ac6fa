// Screenshots of the web UI's main views into docs/screenshots/*.png. After `npm run build`:
//   node scripts/screenshots.mjs
// Seeds a temp store with a small realistic tracker, serves it with `tack serve` and drives
// Debian's chromium (playwright-core) through the views.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('.', import.meta.url).pathname, '..');
const bin = join(root, 'bin', 'tack.cjs');
const out = join(root, 'docs', 'screenshots');
const dir = mkdtempSync(join(tmpdir(), 'tack-shots-'));
const env = {
  ...process.env,
  TACK_USER: 'ann',
  NO_COLOR: '1',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ann',
  GIT_AUTHOR_EMAIL: 'ann@example.com',
  GIT_COMMITTER_NAME: 'Ann',
  GIT_COMMITTER_EMAIL: 'ann@example.com',
};
const git = (...a) => execFileSync('git', a, { cwd: dir, env, encoding: 'utf8' }).trim();
const tack = (...a) => execFileSync(process.execPath, [bin, ...a], { cwd: dir, env, encoding: 'utf8' });
const create = (...a) => JSON.parse(tack('create', ...a, '--json')).id;

git('init', '-q', '-b', 'main');
git('commit', '-q', '--allow-empty', '-m', 'init');
tack('init');
tack(
  'docs',
  'add',
  'specs/parser.md',
  '--text',
  '# Parser spec\n\nThe parser keeps comments.\n\n## Errors\n\nEvery error names the line.\n',
);
tack(
  'docs',
  'add',
  'specs/parser.md',
  '--text',
  '# Parser spec\n\nThe parser keeps `// trailing` comments and block comments.\n\n## Errors\n\nEvery error names the line and the column.\n',
);
const epic = create('Parser rewrite', '-t', 'epic', '-p', 'high', '-l', 'parser', '-a', 'ann');
const parse = create(
  'Parser drops trailing comments',
  '-t',
  'bug',
  '-p',
  'urgent',
  '-l',
  'parser',
  '-l',
  'regression',
  '-a',
  'ann',
  '--parent',
  epic,
  '--description',
  'The parser drops `// trailing` comments.\n\n## Steps\n\n1. Write `x = 1 // keep`\n2. Format the file\n\nSee [[docs/specs/parser.md]].',
);
const lexer = create(
  'Tokenizer keeps comment tokens',
  '-p',
  'high',
  '-l',
  'parser',
  '-a',
  'bo',
  '--parent',
  epic,
  '--blocks',
  parse,
);
create('Error messages name the column', '-p', 'medium', '-l', 'parser', '-a', 'cy', '--parent', epic);
create('Board drag keeps order', '-t', 'feature', '-p', 'medium', '-l', 'web', '-a', 'bo');
create('Command palette fuzzy search', '-t', 'feature', '-p', 'low', '-l', 'web');
create('Import Linear cycles', '-t', 'feature', '-p', 'medium', '-l', 'import', '-a', 'cy');
create('Flaky sync test on CI', '-t', 'bug', '-p', 'high', '-l', 'ci', '-a', 'dee');
create('Docs: quick capture guide', '-p', 'low', '-l', 'docs');
create('Speed up cold start', '-p', 'medium', '-l', 'perf', '-a', 'ann');
const triage = create('Crash on empty schema', '-t', 'bug', '-p', 'urgent', '-l', 'triage');
tack('update', triage, '--status', 'triage');
for (const [id, s] of [
  [lexer, 'in-progress'],
  [parse, 'in-review'],
])
  tack('update', id, '--status', s);
tack(
  'update',
  parse,
  '--description',
  'The parser drops `// trailing` comments at the end of a line.\n\n## Steps\n\n1. Write `x = 1 // keep`\n2. Run `tack fmt`\n3. The comment is gone\n\nSee [[docs/specs/parser.md]].',
);
tack('comment', parse, 'Reproduced on main; the tokenizer never emits the comment token.');
tack('close', create('Set up the repository', '-l', 'infra'));
create(
  'Parser idea: keep comments as trivia #parser #idea',
  '-t',
  'note',
  '--description',
  `Keep comments as trivia on the next token, like Roslyn. #parser #idea\n\nRelated: +${parse}`,
);
create(
  'Ask Bo about the tokenizer API',
  '-t',
  'note',
  '--description',
  `Ask Bo about the tokenizer API before +${lexer} lands. #questions`,
);

const proc = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: dir, env });
const url = await new Promise((res, rej) => {
  let s = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => {
    s += d;
    const m = /listening on (\S+)/.exec(s);
    if (m) res(m[1]);
  });
  proc.on('exit', (c) => rej(new Error(`tack serve exited ${c}`)));
});
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
mkdirSync(out, { recursive: true });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  const shot = async (name) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  };
  await page.goto(url);
  await page.locator('.row').first().waitFor();
  await shot('list');
  await page.keyboard.press('Control+k');
  await page.getByLabel('command', { exact: true }).fill('parser');
  await shot('palette');
  await page.keyboard.press('Escape');
  await page.goto(`${url}/t/${parse}`);
  await page.locator('h1').waitFor();
  await page.locator('.version').nth(1).waitFor();
  await page.locator('.version').first().getByRole('button', { name: 'diff' }).click();
  await page.getByTestId('diff').waitFor();
  await shot('ticket');
  await page.getByTestId('diff').scrollIntoViewIfNeeded();
  await shot('history');
  await page.goto(`${url}/board`);
  await page.locator('.card').first().waitFor();
  await shot('board');
  await page.goto(`${url}/capture`);
  await page.locator('.stream .entry').first().waitFor();
  await page.keyboard.press('Control+m');
  await page
    .getByLabel('entry', { exact: true })
    .pressSequentially('Standup: parser review today #standup, blocked on +');
  await page.getByLabel('find ticket').pressSequentially('token');
  await shot('capture');
  await page.goto(`${url}/docs/docs/specs/parser.md`);
  await page.getByRole('button', { name: 'diff with previous' }).click();
  await page.getByTestId('doc-diff').waitFor();
  await shot('docs');
  await page.goto(`${url}/work`);
  await page.locator('.progress-row').first().waitFor();
  await shot('work');
  await page.goto(`${url}/graph`);
  await page.locator('.graph .node').first().waitFor();
  await shot('graph');
  await page.getByRole('button', { name: 'Commits' }).click();
  await page.getByTestId('commits').waitFor();
  await shot('commits');
  await page.goto(url);
  await page.locator('.row').first().waitFor();
  await page.getByRole('searchbox', { name: 'search' }).fill('"comment is gone"');
  await page.locator('.row .snippet mark').first().waitFor();
  await shot('search');

  // Phone width (390 × 844): the navigation drawer and every view.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const phoneShot = async (name) => {
    await phone.waitForTimeout(300);
    await phone.screenshot({ path: join(out, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  };
  await phone.goto(url);
  await phone.locator('.row').first().waitFor();
  await phoneShot('phone-list');
  await phone.getByRole('button', { name: 'menu' }).click();
  await phoneShot('phone-nav');
  await phone.goto(`${url}/t/${parse}`);
  await phone.locator('h1').waitFor();
  await phoneShot('phone-ticket');
  await phone.goto(`${url}/board`);
  await phone.locator('.card').first().waitFor();
  await phoneShot('phone-board');
  await phone.goto(`${url}/capture`);
  await phone.locator('.stream .entry').first().waitFor();
  await phoneShot('phone-capture');
  await phone.goto(`${url}/docs/docs/specs/parser.md`);
  await phone.locator('h1').first().waitFor();
  await phoneShot('phone-docs');
  await phone.goto(`${url}/work`);
  await phone.locator('.progress-row').first().waitFor();
  await phoneShot('phone-work');
  await phone.goto(`${url}/graph`);
  await phone.locator('.graph .node').first().waitFor();
  await phoneShot('phone-graph');
  await phone.goto(`${url}/t/${parse}`);
  await phone.locator('h1').waitFor();
  await phone.keyboard.press('Control+k');
  await phone.getByLabel('command', { exact: true }).fill('parser');
  await phoneShot('phone-palette');
} finally {
  await browser.close();
  proc.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
