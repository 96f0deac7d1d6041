// On a plane: a letter read once online is read again offline (its age shown), disposed
// offline (queued, "menunggu dikirim (1)"), and when the network returns the disposition
// arrives exactly once.
import { expect, test } from '@playwright/test';
import { api, disposeToUnit, expectAccessible, literally, registeredLetter, signIn } from './support';
import { stack } from './stack';
import { readFileSync } from 'node:fs';

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

  await disposeToUnit(page, sekda.unit.name, 'Hadiri/wakili');
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

test('an action queued offline that the server refuses is shown, not dropped', async ({ browser }, info) => {
  const staff = await api<{ employee: { nip: string } }>('staf.kominfo', 'GET', '/me');
  const subject = `Pemeliharaan server desa (${info.project.name} ${Date.now() % 100000})`;
  const letter = await registeredLetter('tu.kominfo', subject, 'biasa');
  const disposed = await api<{ assignments: { assignment_id: string }[] }>(
    'kadis.kominfo',
    'POST',
    `/letters/${letter.letter_id}/dispositions`,
    { recipients: [{ nip: staff.employee.nip }], instructions: ['tindak_lanjuti'] },
  );
  const assignmentId = disposed.assignments[0]!.assignment_id;

  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await signIn(page, 'staf.kominfo');
  await page.getByTestId('inbox').getByRole('link', { name: literally(subject) }).click();
  await expect(page.getByRole('button', { name: 'Mulai kerjakan' })).toBeVisible();

  await context.setOffline(true);
  await page.getByRole('button', { name: 'Mulai kerjakan' }).click();
  await expect(page.getByText('Disimpan di perangkat')).toBeVisible();
  // Meanwhile, from another device, he completes it.
  await api('staf.kominfo', 'POST', `/letters/${letter.letter_id}/assignments/${assignmentId}/complete`, {
    report: 'Selesai dari perangkat lain',
  });

  await context.setOffline(false);
  await expect(page.getByTestId('pending')).toHaveText('Ditolak server (1)', { timeout: 30_000 });
  await page.getByTestId('pending').click();
  const queue = page.getByTestId('queue');
  await expect(queue).toContainText(subject);
  await expect(queue.getByRole('alert')).toContainText('invalid_transition');
  await expectAccessible(page, 'antrean (ditolak)');
  await page.getByRole('button', { name: 'Hapus dari antrean' }).click();
  await expect(page.getByText('Tidak ada yang menunggu dikirim.')).toBeVisible();
  const done = await api<{ status: string }>('staf.kominfo', 'GET', `/letters/${letter.letter_id}/assignments/${assignmentId}`);
  expect(done.status).toBe('done');
  await context.close();
});

/** The API's document (as generated for the client) declares the Idempotency-Key on disposing. */
function apiTakesIdempotencyKeys(): boolean {
  const doc = JSON.parse(readFileSync(new URL('../src/api/openapi.json', import.meta.url), 'utf8')) as {
    paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
  };
  const dispose = doc.paths['/letters/{letter_id}/dispositions']?.['post'];
  return (dispose?.parameters ?? []).some((p) => p.name.toLowerCase() === 'idempotency-key');
}

test('a disposition whose answer was lost is sent again with its key and done once', async ({ browser }, info) => {
  // A missing declaration is a defect of the API document, not a reason to skip.
  expect(apiTakesIdempotencyKeys(), 'openapi.json declares Idempotency-Key on POST dispositions').toBe(true);
  const subject = `Koordinasi pengamanan natal (${info.project.name} ${Date.now() % 100000})`;
  const letter = await registeredLetter('bupati', subject, 'segera');
  const sekda = await api<{ employee: { nip: string }; unit: { name: string } }>('sekda', 'GET', '/me');
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  const keys: string[] = [];
  // The first disposition reaches the API, its answer never reaches the app (a dropped link).
  await page.route('**/letters/*/dispositions', async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    keys.push((await request.headerValue('idempotency-key')) ?? '');
    if (keys.length === 1) {
      await route.fetch();
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await signIn(page, 'bupati');
  await page.getByTestId('undisposed').getByRole('link', { name: literally(subject) }).click();
  await disposeToUnit(page, sekda.unit.name, 'Tindak lanjuti');
  await expect(page.getByText('Disimpan di perangkat')).toBeVisible();
  // The app asks the API again by itself, and sends what waits with the same key.
  await expect(page.getByTestId('pending')).toHaveCount(0, { timeout: 60_000 });
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  const tree = await api<{ count: number }>('bupati', 'GET', `/letters/${letter.letter_id}/dispositions`);
  expect(tree.count).toBe(1);
  await context.close();
});
