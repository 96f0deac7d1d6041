// A staff member on his phone, at http://localhost:PORT (a secure context whose host can be a
// WebAuthn relying party id): the position set by the test (poor accuracy, outside, inside),
// the fake camera's frame made into a small selfie (its uploaded size checked in the request),
// the phone's WebAuthn credential registered and approved by an admin, the check-in signed with
// it (waiting for review: a browser cannot tell a mocked location); one made offline kept on the phone and arriving once when the network
// returns; his month and its TPP explanation; a leave filed with a document, then cancelled;
// location refused. axe-core on every screen.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stack } from './stack';
import { api, expectAccessible, expectTouchTargets, nip as nipOf } from './support';
import { dayOf, virtualAuthenticator, localhostUrl, north, officeOf, signInAt, storedSelfieBytes, uploads, watchUploads, witaToday, type OfficeInfo } from './support.staff';

const USER = 'staf.kominfo';
const HR = 'tpp.bkpsdm';

test.describe.configure({ mode: 'serial' });
test.skip(({ isMobile }) => !isMobile, 'the staff check in from their phones (the phone project)');

let context: BrowserContext;
let page: Page;
let office: OfficeInfo;
let nip: string;
let base: string;
let authenticator: Awaited<ReturnType<typeof virtualAuthenticator>>;

test.beforeAll(async ({ browser }, info) => {
  office = await officeOf(USER);
  nip = await nipOf(USER);
  base = localhostUrl();
  context = await browser.newContext({
    ...info.project.use,
    baseURL: undefined,
    permissions: ['geolocation', 'camera'],
    geolocation: { latitude: office.latitude, longitude: office.longitude, accuracy: 250 },
  });
  await watchUploads(context);
  page = await context.newPage();
  authenticator = await virtualAuthenticator(page);
  await signInAt(page, base, USER);
});

test.afterAll(async () => {
  await context?.close();
});

/** A real PDF (the stack's sample scan) as a doctor's note would be. */
function samplePdf(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'eoffice-leave-')), 'surat-keterangan.pdf');
  execFileSync(resolve(stack().root, '.venv/bin/eoffice'), ['sample-scan', file], { cwd: stack().root });
  return file;
}

async function takeSelfie(): Promise<number> {
  await page.getByRole('button', { name: /Buka kamera|Ulangi foto/ }).click();
  await expect(page.locator('video.selfie-video')).toBeVisible();
  await expect.poll(() => page.locator('video.selfie-video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Ambil foto' }).click();
  const size = page.getByTestId('selfie-size');
  await expect(size).toBeVisible();
  return Number(await size.getAttribute('data-bytes'));
}

test('the phone registered and approved; poor accuracy, outside, inside; a small selfie; the web check-in waits for review', async () => {
  await page.goto(`${base}/presensi`);
  await expect(page.getByRole('heading', { level: 1, name: 'Presensi' })).toBeVisible();
  // First use: this phone's platform credential, waiting for an admin, who approves it.
  await page.getByRole('button', { name: 'Daftarkan HP ini' }).click();
  const device = page.getByTestId('device');
  await expect(device).toHaveAttribute('data-state', 'pending_approval');
  await expect(device).toContainText('menunggu persetujuan atasan Anda atau admin');
  const [credential] = await authenticator.credentials();
  expect(credential).toBeDefined();
  await expectAccessible(page, 'presensi (HP didaftarkan)');
  const requests = await api<{ nip: string; device: string }[]>('admin', 'GET', '/attendance/devices/requests');
  const mine = requests.find((r) => r.nip === nip);
  expect(mine, 'a device request for him').toBeDefined();
  await api('admin', 'POST', `/attendance/devices/requests/${nip}/${mine!.device}/approve`);
  const place = page.getByTestId('place');
  await expect(place).toHaveAttribute('data-verdict', 'poor_accuracy');
  await expect(place).toContainText('±250 m, batasnya 50 m');
  await expectAccessible(page, 'presensi (akurasi buruk)');

  await context.setGeolocation({ ...north(office, office.radius_m + 80), accuracy: 10 });
  await expect(place).toHaveAttribute('data-verdict', 'outside');
  await expect(place).toContainText(`di luar area ${office.name}`);
  await expect(page.getByTestId('accuracy')).toHaveText('Akurasi ±10 m');
  await expectAccessible(page, 'presensi (di luar area)');

  await context.setGeolocation({ ...north(office, 10), accuracy: 8 });
  await expect(place).toHaveAttribute('data-verdict', 'inside');
  await expect(place).toContainText(`di area ${office.name}`);

  const shown = await takeSelfie();
  await expectAccessible(page, 'presensi (swafoto)');
  const before = (await dayOf(USER, nip)).checkins.length;
  await page.getByRole('button', { name: 'Presensi masuk' }).click();

  // A browser cannot tell a mocked location: under the default WebCheckInMockPolicy (review)
  // a web check-in inside the fence waits for review, and the screen says why.
  const result = page.getByTestId('check-result').first();
  await expect(result).toHaveAttribute('data-state', 'pending_review');
  await expect(result).toContainText('Masuk: Menunggu tinjauan');
  await expect(result).toContainText('lokasi dari peramban tidak dapat dipastikan asli');
  const after = await dayOf(USER, nip);
  expect(after.checkins.length).toBe(before + 1);
  // What went over the network, and what the bucket keeps, is the small JPEG the screen showed:
  // tens of KB, not hundreds, and above the check-in function's 10 KB minimum.
  const sent = (await uploads(page)).filter((u) => u.type === 'image/jpeg');
  expect(sent.map((u) => u.bytes)).toEqual([shown]);
  expect(shown).toBeGreaterThanOrEqual(10_000);
  expect(shown).toBeLessThanOrEqual(40_000);
  const newest = after.checkins.find((c) => !c.offline && c.selfie_key && c.kind === 'in');
  // Signed by this phone's credential: a web check-in.
  expect((newest as unknown as { source?: string }).source).toBe('web');
  await expect(device).toHaveAttribute('data-state', 'approved');
  expect(await storedSelfieBytes(USER, nip, witaToday(), newest!.checkin_id)).toBe(shown);
  await expectAccessible(page, 'presensi (diterima)');
  await expectTouchTargets(page, 'presensi');
});

test('offline: kept on the phone, then sent once when the network returns, from another screen', async () => {
  await page.goto(`${base}/presensi`);
  await expect(page.getByTestId('place')).toHaveAttribute('data-verdict', 'inside');
  await takeSelfie();
  const before = (await dayOf(USER, nip)).checkins.length;

  await context.setOffline(true);
  await page.getByRole('button', { name: 'Presensi pulang' }).click();
  await expect(page.getByText('Tersimpan di HP, akan dikirim')).toBeVisible();
  await expect(page.getByTestId('checkins-waiting')).toHaveText('1 presensi tersimpan, akan dikirim');
  await expectAccessible(page, 'presensi (luring)');
  await page.waitForTimeout(1000);
  expect((await dayOf(USER, nip)).checkins.length).toBe(before);

  // He leaves Presensi for his month before the network returns: it is sent from there.
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Bulan saya', exact: true }).click();
  await expect(page).toHaveURL(/\/presensi\/bulan$/);
  await context.setOffline(false);
  await expect.poll(async () => (await dayOf(USER, nip)).checkins.length, { timeout: 30_000 }).toBe(before + 1);
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Presensi', exact: true }).click();
  await expect(page.getByTestId('checkins-waiting')).toHaveCount(0);
  const answered = page.getByTestId('checkins-answered').getByTestId('check-result').first();
  await expect(answered).toContainText('Pulang: Menunggu tinjauan');
  const after = await dayOf(USER, nip);
  expect(after.checkins.length).toBe(before + 1);
  const kept = after.checkins.filter((c) => c.offline);
  expect(kept.length).toBeGreaterThanOrEqual(1);

  // Another start of the page sends nothing again.
  await page.goto(`${base}/presensi`);
  await page.waitForTimeout(2000);
  expect((await dayOf(USER, nip)).checkins.length).toBe(before + 1);
});

test('his month: today with its check-ins, and last month\'s TPP explained in Rupiah', async () => {
  const last = new Date(Date.now() + 8 * 3600_000);
  last.setUTCDate(1);
  last.setUTCMonth(last.getUTCMonth() - 1);
  const month = last.toISOString().slice(0, 7);
  await api(HR, 'POST', '/tpp/reports', { month }).catch(() => undefined); // 409 when one runs
  await expect
    .poll(async () => (await api<{ versions?: unknown[] }>(HR, 'GET', `/tpp/reports/${month}`).catch(() => ({ versions: [] }))).versions?.length ?? 0, {
      timeout: 90_000,
    })
    .toBeGreaterThan(0);

  await page.goto(`${base}/presensi/bulan`);
  const today = page.locator(`[data-testid="days"] li[data-day="${witaToday()}"]`);
  await expect(today).toContainText('menunggu tinjauan');
  await expectAccessible(page, 'bulan saya');
  await expectTouchTargets(page, 'bulan saya');
  await page.getByRole('button', { name: 'Bulan sebelumnya' }).click();
  await expect(page.getByTestId('tpp')).toContainText('Rp');
  await expect(page.getByTestId('days').first()).toBeVisible();
  await expectAccessible(page, 'bulan saya (TPP)');
});

test('leave: filed with a document, waiting for his head, then cancelled', async () => {
  await page.goto(`${base}/cuti`);
  const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Jenis', { exact: true }).selectOption('izin');
  await page.getByLabel('Mulai', { exact: true }).fill(tomorrow);
  await page.getByLabel('Sampai', { exact: true }).fill(tomorrow);
  const reason = `Mengurus dokumen kependudukan ${Date.now() % 100000}`;
  await page.getByLabel('Alasan', { exact: true }).fill(reason);
  await page.getByLabel(/Dokumen pendukung/).setInputFiles(samplePdf());
  await page.getByRole('button', { name: 'Ajukan' }).click();
  await expect(page.getByText('Pengajuan terkirim')).toBeVisible();
  const row = page.getByTestId('leaves').locator('li', { hasText: reason });
  await expect(row).toHaveAttribute('data-state', 'pending');
  await expect(row).toContainText('dengan dokumen');
  await expectAccessible(page, 'cuti');
  await expectTouchTargets(page, 'cuti');
  await row.getByRole('button', { name: 'Batalkan' }).click();
  await expect(row).toHaveAttribute('data-state', 'cancelled');
});

test('location refused: the screen says how to allow it', async ({ browser }, info) => {
  const denied = await browser.newContext({ ...info.project.use, baseURL: undefined, permissions: [] });
  const p = await denied.newPage();
  await signInAt(p, base, USER);
  await p.goto(`${base}/presensi`);
  await expect(p.getByTestId('place')).toContainText('Izin lokasi ditolak');
  await expect(p.getByRole('button', { name: 'Presensi masuk' })).toBeDisabled();
  await expectAccessible(p, 'presensi (izin lokasi ditolak)');
  await denied.close();
});
