// On a plane: a letter read once online is read again offline (its age shown), disposed
// offline (queued, "menunggu dikirim (1)"), and when the network returns the disposition
// arrives exactly once.
import { expect, test } from '@playwright/test';
import { api, expectAccessible, literally, registeredLetter, signIn } from './support';
import { stack } from './stack';

test('read a kept letter and dispose it offline; it arrives once', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  const subject = `Undangan rapat luar daerah (${info.project.name} ${Date.now() % 100000})`;
  const letter = await registeredLetter('bupati', subject, 'amat_segera');
  const sekda = await api<{ employee: { nip: string }; unit: { name: string } }>('sekda', 'GET', '/me');

  await signIn(page, 'bupati');
  // The service worker has the app shell before the flight.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.getByTestId('undisposed').getByRole('link', { name: literally(subject) }).click();
  await expect(page.getByTestId('pdf-canvas')).toBeVisible();
  await expect.poll(() => page.getByTestId('pdf-canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(0);
  // Kept before going offline (the app keeps what it read in IndexedDB once it is shown).
  await page.waitForTimeout(500);

  await context.setOffline(true);
  await page.goto(`${stack().webUrl}/surat/${letter.letter_id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(subject);
  await expect(page.getByTestId('kept-age').first()).toContainText('disimpan');
  await expect(page.getByText('Tidak ada sambungan')).toBeVisible();
  await expect.poll(() => page.getByTestId('pdf-canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(0);
  await expectAccessible(page, 'surat (luring)');

  await page.getByRole('link', { name: 'Disposisikan' }).click();
  await page.getByLabel('Cari unit atau nama').fill(sekda.unit.name);
  await page.getByTestId('recipients').getByRole('checkbox', { name: literally(sekda.unit.name) }).first().check();
  await page.getByRole('checkbox', { name: 'Hadiri/wakili' }).check();
  await page.getByRole('button', { name: 'Kirim disposisi' }).click();
  await expect(page.getByText('Disimpan di perangkat')).toBeVisible();
  await expect(page.getByTestId('pending')).toHaveText('menunggu dikirim (1)');
  await page.getByTestId('pending').click();
  await expect(page.getByTestId('queue')).toContainText(subject);
  await expectAccessible(page, 'antrean');

  // Nothing reached the server while offline.
  const before = await api<{ count: number }>('bupati', 'GET', `/letters/${letter.letter_id}/dispositions`);
  expect(before.count).toBe(0);

  await context.setOffline(false);
  await expect(page.getByTestId('pending')).toHaveCount(0, { timeout: 30_000 });
  const after = await api<{ count: number; roots: { assignment: { recipient_nip: string } }[] }>(
    'bupati',
    'GET',
    `/letters/${letter.letter_id}/dispositions`,
  );
  expect(after.count).toBe(1);
  expect(after.roots.map((r) => r.assignment.recipient_nip)).toEqual([sekda.employee.nip]);

  // Another start of the app, online, sends nothing again.
  await page.goto(`${stack().webUrl}/`);
  await page.waitForTimeout(1500);
  const again = await api<{ count: number }>('bupati', 'GET', `/letters/${letter.letter_id}/dispositions`);
  expect(again.count).toBe(1);
  await context.close();
});
