// What the staff's check-in tests need: the app reached at http://localhost:PORT (WebAuthn needs
// a domain as relying party id; 127.0.0.1 cannot be one), sign-in there, the employee's office,
// and the selfie as it went to the bucket (the multipart body's JPEG).
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { api } from './support';
import { stack } from './stack';

/** The web app's URL with `localhost` for `127.0.0.1` (the same server). */
export function localhostUrl(): string {
  const url = new URL(stack().webUrl);
  if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  return url.toString().replace(/\/$/, '');
}

/** Sign in as support.signIn does, but on `base` (the local sign-in sends him back there). */
export async function signInAt(page: Page, base: string, username: string): Promise<void> {
  await page.goto(base + '/');
  await page.getByRole('button', { name: 'Masuk dengan akun Pemkab' }).click();
  const choice = page.locator(`button[name="username"][value="${username}"]`);
  await page.waitForLoadState('domcontentloaded');
  if ((await choice.count()) === 0) {
    await page.locator('input[name="q"]').fill(username);
    await page.locator('form.search button[type="submit"]').click();
  }
  await choice.first().click();
  await page.waitForURL((url) => url.toString().startsWith(base) && !url.pathname.startsWith('/masuk'));
  await expect(page.getByTestId('who')).not.toContainText('Memuat');
}

export interface OfficeInfo {
  office_id: string;
  name: string;
  latitude: number;
  longitude: number;
  radius_m: number;
}

/** The first office whose fence he checks in at. */
export async function officeOf(user: string): Promise<OfficeInfo> {
  const me = await api<{ employee: { office_ids: string[]; unit_id: string } }>(user, 'GET', '/me');
  const offices = await api<(OfficeInfo & { unit_id: string })[]>(user, 'GET', '/offices');
  const mine = offices.filter((o) =>
    me.employee.office_ids.length ? me.employee.office_ids.includes(o.office_id) : o.unit_id === me.employee.unit_id,
  );
  expect(mine.length, `${user} has an office`).toBeGreaterThan(0);
  return mine[0]!;
}

/** `metres` north of a point (latitude only: 1° is about 110.6 km near the equator). */
export function north(point: { latitude: number; longitude: number }, metres: number) {
  return { latitude: point.latitude + metres / 110_574, longitude: point.longitude };
}

/** Record the size of every file the page posts in a form (the presigned uploads): what went
 * over the network, as the page handed it to fetch. */
export async function watchUploads(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: { url: string; bytes: number; type: string }[] = [];
    (window as unknown as { __uploads: typeof seen }).__uploads = seen;
    const original = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const body = init?.body;
      if (body instanceof FormData) {
        const file = body.get('file');
        if (file instanceof Blob) seen.push({ url: String(input), bytes: file.size, type: file.type });
      }
      return original(input, init);
    };
  });
}

export function uploads(page: Page): Promise<{ url: string; bytes: number; type: string }[]> {
  return page.evaluate(() => (window as unknown as { __uploads?: { url: string; bytes: number; type: string }[] }).__uploads ?? []);
}

/** Today in WITA, YYYY-MM-DD. */
export function witaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

export interface DayCheckIns {
  checkins: { checkin_id: string; client_id: string; state: string; offline: boolean; kind: string; selfie_key?: string | null }[];
}

/** The bytes of a check-in's selfie as the bucket keeps it (through the API's short link). */
export async function storedSelfieBytes(user: string, nip: string, day: string, checkinId: string): Promise<number> {
  const link = await api<{ url: string }>(user, 'GET', `/attendance/days/${nip}/${day}/check-ins/${checkinId}/selfie`);
  const answer = await fetch(link.url);
  expect(answer.ok).toBe(true);
  return (await answer.arrayBuffer()).byteLength;
}

export function dayOf(user: string, nip: string, day: string = witaToday()): Promise<DayCheckIns> {
  return api<DayCheckIns>(user, 'GET', `/attendance/days/${nip}/${day}`);
}

/** A virtual platform authenticator in the page's browser (the DevTools protocol's WebAuthn
 * domain): what a phone's fingerprint or PIN unlock is, user verification always passing. */
export async function virtualAuthenticator(page: Page): Promise<{ credentials(): Promise<{ credentialId: string }[]> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials;
    },
  };
}
