// Pemberitahuan: a disposition reaches the recipient's list through the notifications function
// (the bus, its queue, as `make dev` runs them); a tap marks it read and opens the letter; his
// preferences are his own. The screen passes axe.
import { expect, test } from '@playwright/test';
import { api, expectAccessible, literally, nip, registeredLetter, signIn } from './support';
import { stack } from './stack';

interface Notices {
  items: { notification_id: string; path: string; read_at: string | null }[];
}

test('a disposition is in the recipient’s notifications, and a tap opens the letter', async ({ browser }, info) => {
  const subject = `Undangan rapat koordinasi SPBE (${info.project.name} ${Date.now() % 100000})`;
  const letter = await registeredLetter('tu.kominfo', subject, 'biasa');
  await api('tu.kominfo', 'POST', `/letters/${letter.letter_id}/dispositions`, {
    recipients: [{ nip: await nip('kadis.kominfo') }],
    instructions: ['tindak_lanjuti'],
  });
  const path = `/surat/${letter.letter_id}`;
  await expect
    .poll(async () => (await api<Notices>('kadis.kominfo', 'GET', '/me/notifications')).items.some((n) => n.path === path), {
      timeout: 30_000,
    })
    .toBe(true);

  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await signIn(page, 'kadis.kominfo');
  await page.goto(stack().webUrl + '/pemberitahuan');
  const item = page.getByTestId('notifications').getByRole('listitem').filter({ hasText: literally(subject) });
  await expect(item).toContainText('Disposisi baru');
  await expect(item).toHaveClass(/is-unread/);
  await expectAccessible(page, 'pemberitahuan');
  await item.getByRole('link').click();
  await page.waitForURL((url) => url.pathname === path);
  await expect(page.getByRole('heading', { name: literally(subject) })).toBeVisible();
  await expect
    .poll(async () => (await api<Notices>('kadis.kominfo', 'GET', '/me/notifications')).items.find((n) => n.path === path)?.read_at)
    .toBeTruthy();
  await context.close();
});

test('his notification preferences are saved as he sets them', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await signIn(page, 'staf.kominfo');
  await page.getByRole('link', { name: 'Pemberitahuan' }).first().click();
  const settings = page.getByRole('form', { name: 'Pengaturan notifikasi' });
  await expect(settings.getByRole('button', { name: 'Aktifkan notifikasi di perangkat ini' })).toBeVisible();
  await settings.getByLabel('Hanya yang segera').check();
  await settings.getByLabel('Tanpa jam tenang').check();
  await settings.getByRole('button', { name: 'Simpan pengaturan' }).click();
  await expect(settings.getByText('Pengaturan tersimpan.')).toBeVisible();
  await expectAccessible(page, 'pengaturan notifikasi');
  const saved = await api<{ urgent_only: boolean; quiet_hours: unknown }>('staf.kominfo', 'GET', '/me/notification-preferences');
  expect(saved.urgent_only).toBe(true);
  expect(saved.quiet_hours).toBeNull();
  await api('staf.kominfo', 'PUT', '/me/notification-preferences', { urgent_only: false, quiet_hours: { start: '21:00', end: '06:00' }, clear_quiet_hours: false });
  await context.close();
});
