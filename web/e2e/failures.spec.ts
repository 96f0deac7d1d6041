// Gagal terkirim: a push the push service refuses (a subscription made with another VAPID key,
// as after a key rotation: FCM answers 403) is given up at once, and the administrators read it
// in the app, reached from the navigation: whom, what kind, each channel's outcome; nobody else
// has the screen. It passes axe.
import { expect, test } from '@playwright/test';
import { api, expectAccessible, nip, registeredLetter, signIn } from './support';
import { stack } from './stack';
import { b64url, browserKeys } from './webpush';

interface Failures {
  items: {
    notification_id: string;
    nip: string;
    name: string | null;
    kind: string;
    created_at: string;
    deliveries: { channel: string; status: string; attempts: number }[];
  }[];
}

/** A subscription at the push service stand-in bound to a key that is not the API's. */
async function subscriptionForAnotherKey(): Promise<{ endpoint: string; keys: { p256dh: string; auth: string } }> {
  const other = browserKeys();
  const answer = await fetch(`${stack().pushUrl}/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ application_server_key: b64url(other.publicKey) }),
  });
  expect(answer.status).toBe(201);
  const { endpoint } = (await answer.json()) as { endpoint: string };
  const browser = browserKeys();
  return { endpoint, keys: { p256dh: b64url(browser.publicKey), auth: b64url(browser.auth) } };
}

test('a push the push service refuses is in the administrators’ Gagal terkirim; staff do not see it', async ({ browser }, info) => {
  test.skip(!stack().pushUrl, 'E2E_PUSH_URL: the push service stand-in of the stack already running');
  // kadis.kominfo has no other device here (a fresh stack): one that accepts would make it "sent".
  const started = Date.now() - 5000; // the event's time is in whole seconds
  const recipient = 'kadis.kominfo';
  const recipientNip = await nip(recipient);
  const subscription = await subscriptionForAnotherKey();
  await api(recipient, 'POST', '/me/push-subscriptions', subscription);
  const before = new Set((await api<Failures>('admin', 'GET', '/notifications/failures')).items.map((f) => f.notification_id));
  try {
    const subject = `Permintaan data SPBE (${info.project.name} ${Date.now() % 100000})`;
    const letter = await registeredLetter('tu.kominfo', subject, 'amat_segera'); // passes quiet hours
    await api('tu.kominfo', 'POST', `/letters/${letter.letter_id}/dispositions`, {
      recipients: [{ nip: recipientNip }],
      instructions: ['tindak_lanjuti'],
    });
    let failed: Failures['items'][number] | undefined;
    await expect
      .poll(
        async () => {
          const { items } = await api<Failures>('admin', 'GET', '/notifications/failures');
          failed = items.find(
            (f) => !before.has(f.notification_id) && f.nip === recipientNip && f.kind === 'disposition_received' && Date.parse(f.created_at) >= started,
          );
          const push = failed?.deliveries.find((d) => d.channel === 'web_push');
          return push && `${push.status} ${push.attempts}`;
        },
        { timeout: 30_000 },
      )
      .toBe('rejected 1'); // given up at once: a refusal is not retried

    const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
    const page = await context.newPage();
    await signIn(page, 'admin');
    await page.getByRole('link', { name: 'Gagal terkirim' }).first().click();
    await expect(page.getByRole('heading', { name: 'Pemberitahuan gagal terkirim' })).toBeVisible();
    const item = page.locator(`[data-notification-id="${failed!.notification_id}"]`);
    await expect(item).toContainText(failed!.name!);
    await expect(item).toContainText('Disposisi baru');
    await expect(item).toContainText('Notifikasi di perangkat (aplikasi): ditolak penyedia');
    await expect(item).not.toContainText(subject); // never the text
    await expectAccessible(page, 'gagal terkirim');
    await context.close();
  } finally {
    await api(recipient, 'POST', '/me/push-subscriptions/remove', subscription);
  }

  const staff = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const own = await staff.newPage();
  await signIn(own, 'staf.kominfo');
  await expect(own.getByRole('link', { name: 'Pemberitahuan' }).first()).toBeVisible();
  await expect(own.getByRole('link', { name: 'Gagal terkirim' })).toHaveCount(0);
  await own.goto(stack().webUrl + '/gagal-terkirim');
  await expect(own.getByRole('alert')).toBeVisible(); // the API refuses him (403)
  await staff.close();
});
