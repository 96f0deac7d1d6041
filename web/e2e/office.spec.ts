// The records clerk, the drafter, the reviewer, the signer and the public, through the app: a
// clerk registers a letter (the API's 422 next to the fields first), uploads the scan from the
// device with the presigned form, follows the intake's check, sees a refused file and why,
// opens, prints and downloads the cover sheet, finds the letter by the list's filters; a drafter
// drafts an outgoing letter and uploads it (a refused upload shown with its reason), the reviewer
// gives his paraf, the signer signs, the signed file is downloaded; the public page checks that
// file by upload and shows its record. axe on every screen.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { api, expectAccessible, literally, nip, signIn, token } from './support';
import { stack } from './stack';

function sample(kind: 'sample-scan' | 'sample-letter', name: string): string {
  const root = stack().root;
  const file = join(mkdtempSync(join(tmpdir(), 'eoffice-e2e-')), name);
  execFileSync(resolve(root, '.venv/bin/eoffice'), [kind, file], { cwd: root });
  return file;
}

async function as(browser: Browser, user: string, options: object): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

/** Open a screen from the navigation (on a phone the tabs scroll; the link is there all the same). */
async function nav(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: label }).click();
}

test('a clerk registers a letter, uploads the scan and prints the cover sheet', async ({ browser }, info) => {
  const options = { ...info.project.use, baseURL: undefined, acceptDownloads: true };
  const tag = `${info.project.name} ${Date.now() % 100000}`;
  const subject = `Permohonan data statistik sektoral (${tag})`;
  const sender = `Badan Pusat Statistik ${tag}`;
  const clerk = await as(browser, 'tu.kominfo', options);

  await nav(clerk, 'Agenda surat');
  await expect(clerk.getByRole('heading', { name: 'Agenda surat masuk' })).toBeVisible();
  await expectAccessible(clerk, 'agenda surat');
  await clerk.getByRole('link', { name: 'Catat surat masuk' }).click();
  await expectAccessible(clerk, 'catat surat');

  // Sent half-filled: the API's 422, field by field, in Bahasa Indonesia.
  await clerk.getByLabel('Perihal').fill(subject);
  await clerk.getByLabel('Kode klasifikasi arsip').fill('8OO');
  await clerk.getByRole('button', { name: 'Catat surat' }).click();
  await expect(clerk.getByTestId('problem-f-sender_agency')).toHaveText('Wajib diisi.');
  await expect(clerk.getByTestId('problem-f-sender_date')).toHaveText('Wajib diisi.');
  await expect(clerk.getByTestId('problem-f-classification_code')).toHaveText('Formatnya tidak sesuai.');
  await expect(clerk.getByTestId('problem-f-subject')).toHaveCount(0);
  await expect(clerk.getByLabel('Instansi pengirim')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(clerk, 'catat surat (isian salah)');

  await clerk.getByLabel('Instansi pengirim').fill(sender);
  await clerk.getByLabel('Nomor surat').fill(`000.5/${Date.now() % 1000}/BPS`);
  await clerk.getByLabel('Tanggal surat').fill('2026-11-30');
  await clerk.getByLabel('Kode klasifikasi arsip').fill('000.5');
  await clerk.getByLabel('Ditujukan kepada').fill('Kepala Diskominfo-SP');
  await clerk.getByLabel('Urgensi').selectOption('segera');
  await clerk.getByLabel('Pilih berkas').setInputFiles(sample('sample-scan', 'surat-masuk.pdf'));
  await clerk.getByRole('button', { name: 'Catat surat' }).click();

  // The letter's page follows the intake's check of the scan the browser sent to the bucket.
  await clerk.waitForURL(/\/agenda\/[^/]+$/);
  await expect(clerk.getByTestId('intake')).toContainText('Berkas diterima', { timeout: 45_000 });
  await expect(clerk.getByTestId('letter-status')).toHaveText('Tercatat');
  await expectAccessible(clerk, 'surat (TU)');
  const letterId = new URL(clerk.url()).pathname.split('/').at(-1)!;
  const letter = await api<{ files: unknown[]; agenda_number: number }>('tu.kominfo', 'GET', `/letters/${letterId}`);
  expect(letter.files).toHaveLength(1);

  // A second file that is no letter at all: the intake refuses it, and the clerk reads why.
  await clerk.getByLabel('Unggah berkas lain').setInputFiles({
    name: 'catatan.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('bukan surat, hanya catatan'),
  });
  await clerk.getByRole('button', { name: 'Unggah berkas', exact: true }).click();
  await expect(clerk.getByTestId('intake')).toContainText('Berkas ditolak: jenis berkas tidak didukung', {
    timeout: 45_000,
  });
  await expect(clerk.getByTestId('history')).toContainText('Berkas ditolak');
  await expectAccessible(clerk, 'surat (berkas ditolak)');

  // The cover sheet: drawn with pdf.js, printed from the page, downloaded as the API's PDF.
  await clerk.getByTestId('open-cover').click();
  const canvas = clerk.getByTestId('cover-sheet').getByTestId('pdf-canvas');
  await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(0);
  await expectAccessible(clerk, 'lembar pengantar');
  await clerk.evaluate(() => {
    const w = window as unknown as { printed: string[] };
    w.printed = [];
    window.print = () => {
      w.printed.push(document.documentElement.className);
      window.dispatchEvent(new Event('afterprint'));
    };
  });
  await clerk.getByTestId('print-cover').click();
  expect(await clerk.evaluate(() => (window as unknown as { printed: string[] }).printed)).toEqual(['printing-sheet']);
  const [download] = await Promise.all([
    clerk.waitForEvent('download'),
    clerk.getByRole('link', { name: 'Unduh PDF' }).click(),
  ]);
  const sheet = readFileSync((await download.path())!);
  expect(sheet.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(download.suggestedFilename()).toMatch(/^lembar-pengantar-.*\.pdf$/);

  // A correction, kept in the history (and a scanner's letter is completed with the same form).
  await clerk.getByRole('button', { name: 'Perbaiki data' }).click();
  await clerk.getByLabel('Perihal').fill(`${subject} (diperbaiki)`);
  await expectAccessible(clerk, 'perbaiki data surat');
  await clerk.getByRole('button', { name: 'Simpan data' }).click();
  await expect(clerk.getByText('Data surat tersimpan.')).toBeVisible();
  await expect(clerk.getByRole('heading', { level: 1 })).toContainText('(diperbaiki)');
  await expect(clerk.getByTestId('history')).toContainText('Data diubah');

  // Found again by the list's filters: sender and status.
  await clerk.getByRole('link', { name: /Agenda surat masuk/ }).click();
  await clerk.getByLabel('Pengirim').fill(sender);
  await clerk.getByLabel('Status').selectOption('registered');
  await clerk.getByRole('button', { name: 'Tampilkan' }).click();
  await expect(clerk).toHaveURL(/sender=/);
  const found = clerk.getByTestId('letters').getByRole('link');
  await expect(found).toHaveCount(1);
  await expect(found).toContainText(subject);
  await expectAccessible(clerk, 'agenda surat (disaring)');
  await clerk.getByLabel('Status').selectOption('awaiting_file');
  await clerk.getByRole('button', { name: 'Tampilkan' }).click();
  await expect(clerk.getByText('Tidak ada surat yang cocok.')).toBeVisible();
});

test('a drafter drafts, a reviewer gives paraf, a signer signs, the public verifies the file', async ({ browser }, info) => {
  const options = { ...info.project.use, baseURL: undefined, acceptDownloads: true };
  const subject = `Undangan rapat koordinasi SPBE (${info.project.name} ${Date.now() % 100000})`;
  const [signerNip, reviewerNip] = [await nip('kadis.kominfo'), await nip('tu.kominfo')];

  // The drafter (staff): the draft's form, then a wrong file, then the letter's PDF.
  const staff = await as(browser, 'staf.kominfo', options);
  await nav(staff, 'Surat keluar');
  await expectAccessible(staff, 'surat keluar');
  await staff.getByRole('link', { name: 'Buat konsep' }).click();
  await staff.getByLabel('Jenis naskah').selectOption('surat_undangan');
  await staff.getByLabel('Kode klasifikasi arsip').fill('800.1.2.2');
  await staff.getByLabel('Perihal').fill(subject);
  const units = await api<{ unit_id: string; code: string }[]>('staf.kominfo', 'GET', '/units');
  const bkpsdm = units.find((u) => u.code === 'BKPSDM')!;
  await staff.getByLabel('Unit', { exact: true }).selectOption(bkpsdm.unit_id);
  await staff.getByLabel('Penandatangan (berurutan)').fill(signerNip);
  await staff.getByLabel(/Pemaraf/).fill(reviewerNip);
  await expectAccessible(staff, 'konsep surat keluar');
  await staff.getByLabel('Pilih berkas').setInputFiles({
    name: 'konsep.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\nthis is no PDF at all\n'),
  });
  await staff.getByRole('button', { name: 'Simpan konsep' }).click();
  await staff.waitForURL(/\/surat-keluar\/[^/]+$/);
  await expect(staff.getByTestId('refused-uploads')).toContainText('berkas rusak', { timeout: 45_000 });
  await expectAccessible(staff, 'surat keluar (unggahan ditolak)');
  await staff.getByLabel('Unggah versi baru (PDF)').setInputFiles(sample('sample-letter', 'surat.pdf'));
  await staff.getByRole('button', { name: 'Unggah berkas', exact: true }).click();
  await expect(staff.getByTestId('versions')).toContainText('Versi 1', { timeout: 45_000 });
  await expect(staff.getByTestId('outgoing-status')).toHaveText('Menunggu paraf');
  const id = new URL(staff.url()).pathname.split('/').at(-1)!;

  // The reviewer: it waits on him; he reads the version and gives his paraf.
  const reviewer = await as(browser, 'tu.kominfo', options);
  await nav(reviewer, 'Surat keluar');
  await reviewer.getByTestId('outgoing-list').getByRole('link', { name: literally(subject) }).click();
  await expect(reviewer.getByTestId('review-panel')).toBeVisible();
  await reviewer.getByTestId('versions').getByRole('button', { name: 'Tampilkan' }).click();
  await expect.poll(() => reviewer.getByTestId('pdf-canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(0);
  await expectAccessible(reviewer, 'surat keluar (pemaraf)');
  await reviewer.getByTestId('paraf').click();
  await expect(reviewer.getByTestId('outgoing-notice')).toHaveText('Paraf tercatat.');
  await expect(reviewer.getByTestId('outgoing-status')).toHaveText('Siap ditandatangani');

  // The signer: his key is kept here (the demo's), so he signs without BSrE's passphrase.
  const signer = await as(browser, 'kadis.kominfo', options);
  await signer.goto(`${stack().webUrl}/surat-keluar/${id}`);
  await expect(signer.getByTestId('sign-panel')).toBeVisible();
  await expectAccessible(signer, 'tanda tangan');
  // BSrE's fields, for a signer whose key is there: typed, then not used (the demo key signs).
  await signer.getByLabel('Tanda tangan melalui BSrE').check();
  await signer.getByLabel('Passphrase').fill('tidak-dipakai');
  await expect(signer.getByTestId('sign')).toBeDisabled(); // a NIK is needed too
  await expectAccessible(signer, 'tanda tangan (BSrE)');
  await signer.getByLabel('Tanda tangan melalui BSrE').uncheck();
  await signer.getByTestId('sign').click();
  await expect(signer.getByTestId('outgoing-status')).toHaveText('Ditandatangani', { timeout: 60_000 });
  await expect(signer.getByTestId('outgoing-notice')).toHaveText('Surat telah ditandatangani.');
  const number = (await signer.getByTestId('outgoing-number').textContent())!.trim();
  expect(number).toMatch(/^800\.1\.2\.2\/\d+\/.+\/\d{4}$/);
  const [download] = await Promise.all([signer.waitForEvent('download'), signer.getByTestId('download-signed').click()]);
  const signedPath = (await download.path())!;
  expect(readFileSync(signedPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await expectAccessible(signer, 'surat keluar (ditandatangani)');
  const keys = await signer.evaluate(() => Object.keys(localStorage).join(' '));
  expect(keys).not.toMatch(/passphrase|nik/i);

  // The public, signed in nowhere: the check of the file by upload, then its record.
  const context = await browser.newContext(options);
  const visitor = await context.newPage();
  await visitor.goto(`${stack().webUrl}/verifikasi`);
  await expect(visitor.getByRole('heading', { name: 'Periksa berkas PDF' })).toBeVisible();
  await expectAccessible(visitor, 'verifikasi (unggah)');
  await visitor.getByLabel('Berkas PDF').setInputFiles({ name: 'surat.pdf', mimeType: 'application/pdf', buffer: readFileSync(signedPath) });
  await visitor.getByRole('button', { name: 'Periksa' }).click();
  await expect(visitor.getByTestId('verify-verdict')).toHaveText(
    'Semua tanda tangan sah dan dokumen tidak diubah setelah ditandatangani.',
  );
  await expect(visitor.getByTestId('verify-known')).toContainText(number);
  await expect(visitor.getByTestId('verify-known')).toContainText('Sama persis dengan berkas yang disimpan sistem.');
  await expectAccessible(visitor, 'verifikasi (hasil)');
  await visitor.getByRole('link', { name: 'Lihat catatan surat' }).click();
  await expect(visitor.getByTestId('verify-status')).toContainText('Sah');
  await expect(visitor.getByTestId('verify-number')).toHaveText(number);
  await expect(visitor.getByTestId('verify-signatures')).toContainText('Kepala');
  await expectAccessible(visitor, 'verifikasi (catatan)');
  // The API's own page, which the QR code opens, keeps working without the app.
  const page = await fetch(`${stack().apiUrl}/verify/${id}`, { headers: { accept: 'text/html' } });
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain(number);
  await context.close();
});

test('a paraf given offline waits on the device and arrives once', async ({ browser }, info) => {
  const options = { ...info.project.use, baseURL: undefined };
  const subject = `Nota dinas pemeliharaan jaringan (${info.project.name} ${Date.now() % 100000})`;
  const [signerNip, reviewerNip] = [await nip('kadis.kominfo'), await nip('tu.kominfo')];
  const units = await api<{ unit_id: string; code: string }[]>('staf.kominfo', 'GET', '/units');
  const draft = await api<{ outgoing: { outgoing_id: string } }>('staf.kominfo', 'POST', '/outgoing', {
    kind: 'nota_dinas',
    classification_code: '000.5',
    subject,
    recipients: [{ kind: 'unit', unit_id: units.find((u) => u.code === 'BKPSDM')!.unit_id }],
    signers: [signerNip],
    reviewers: [reviewerNip],
  });
  const id = draft.outgoing.outgoing_id;
  const sent = await fetch(`${stack().apiUrl}/outgoing/${id}/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token('staf.kominfo')}`, 'content-type': 'application/pdf' },
    body: readFileSync(sample('sample-letter', 'nota.pdf')),
  });
  expect(sent.status).toBeLessThan(300);
  await expect
    .poll(async () => (await api<{ status: string }>('staf.kominfo', 'GET', `/outgoing/${id}`)).status, { timeout: 30_000 })
    .toBe('in_review');

  const context = await browser.newContext(options);
  const reviewer = await context.newPage();
  await signIn(reviewer, 'tu.kominfo');
  await reviewer.goto(`${stack().webUrl}/surat-keluar/${id}`);
  await expect(reviewer.getByTestId('review-panel')).toBeVisible();

  await context.setOffline(true);
  await reviewer.getByTestId('paraf').click();
  await expect(reviewer.getByText('Disimpan di perangkat; dikirim saat tersambung.')).toBeVisible();
  await expect(reviewer.getByTestId('pending')).toHaveText('menunggu dikirim (1)');
  await expectAccessible(reviewer, 'paraf (luring)');
  expect((await api<{ status: string }>('tu.kominfo', 'GET', `/outgoing/${id}`)).status).toBe('in_review');

  await context.setOffline(false);
  await expect(reviewer.getByTestId('pending')).toHaveCount(0, { timeout: 30_000 });
  expect((await api<{ status: string }>('tu.kominfo', 'GET', `/outgoing/${id}`)).status).toBe('ready_to_sign');
  const steps = await api<{ action: string }[]>('tu.kominfo', 'GET', `/outgoing/${id}/history`);
  expect(steps.filter((s) => s.action === 'paraf_given')).toHaveLength(1);
  await context.close();
});
