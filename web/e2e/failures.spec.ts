// Gagal terkirim: the administrators' list of notices a channel gave up on, reached from the
// navigation; nobody else has it. The screen passes axe.
import { expect, test } from '@playwright/test';
import { api, expectAccessible, signIn } from './support';
import { stack } from './stack';

test('an administrator reads the delivery failures; staff do not see them', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Gagal terkirim' }).first().click();
  await expect(page.getByRole('heading', { name: 'Pemberitahuan gagal terkirim' })).toBeVisible();
  const listed = await api<{ items: { nip: string }[] }>('admin', 'GET', '/notifications/failures');
  if (listed.items.length === 0) {
    await expect(page.getByText('Tidak ada pemberitahuan yang gagal terkirim.')).toBeVisible();
  } else {
    await expect(page.getByTestId('delivery-failures').getByRole('listitem').first()).toContainText(`NIP ${listed.items[0].nip}`);
  }
  await expectAccessible(page, 'gagal terkirim');
  await context.close();

  const staff = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const own = await staff.newPage();
  await signIn(own, 'staf.kominfo');
  await expect(own.getByRole('link', { name: 'Pemberitahuan' }).first()).toBeVisible();
  await expect(own.getByRole('link', { name: 'Gagal terkirim' })).toHaveCount(0);
  await own.goto(stack().webUrl + '/gagal-terkirim');
  await expect(own.getByRole('alert')).toBeVisible(); // the API refuses him (403)
  await staff.close();
});
