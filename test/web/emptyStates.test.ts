import { describe, expect, it } from 'vitest';
import { tackJson } from '../helpers.js';
import { HAS_CHROMIUM, openApp, useBrowserAndServer } from './browser.js';

/* Empty pages say what is missing and offer the one thing to do about it. */

describe.skipIf(!HAS_CHROMIUM)('web UI: empty states with an action', () => {
  const web = useBrowserAndServer();

  it('an empty list offers a new ticket; a list its filters empty offers to clear them', async () => {
    const { page, errors } = await openApp(web.browser, web.s.srv.url);
    await page.getByText('No open tickets.').waitFor();
    await page.getByRole('button', { name: 'New ticket' }).click();
    const dialog = page.getByRole('dialog', { name: 'new ticket' });
    await dialog.getByLabel('new title').fill('The first one');
    await dialog.getByLabel('new title').press('Enter');
    await page.locator('.row', { hasText: 'The first one' }).waitFor();

    await page.goto(`${web.s.srv.url}/?label=nothing-has-this&group=priority`);
    await page.getByText('No tickets match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('.row', { hasText: 'The first one' }).waitFor();
    expect(new URL(page.url()).search).toBe('?group=priority'); // the filters go, the layout stays
    expect(errors).toEqual([]);
    await page.close();
  });

  it('"My work" with no epic offers a new epic, made with that type', async () => {
    const { page, errors } = await openApp(web.browser, `${web.s.srv.url}/work`);
    await page.getByRole('button', { name: 'New epic' }).click();
    const dialog = page.getByRole('dialog', { name: 'new ticket' });
    expect(await dialog.getByTestId('new type-now').textContent()).toBe('epic');
    await dialog.getByLabel('new title').fill('The big goal');
    await dialog.getByLabel('new title').press('Enter');
    await expect
      .poll(
        () => tackJson(web.s.dir, 'list', '--json').find((t: { title: string }) => t.title === 'The big goal')?.type,
      )
      .toBe('epic');
    await page.locator('.progress-row', { hasText: 'The big goal' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
