// BKPSDM on a phone or tablet: Diskominfo-SP's report for the last month that has ended is
// asked for, followed until it is ready and downloaded (the XLSX is a zip: "PK", the CSV has
// its header); a new rule set version is published from the current one and compared with it,
// its changed values marked; a penalty is entered and withdrawn; a fresh unit's month is frozen
// after the confirmation. Every screen passes axe.
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { api, expectAccessible, expectTouchTargets, signIn } from './support';
import { expectNoSideScroll, newEmployee } from './support.headshr';

interface Unit {
  unit_id: string;
  code: string;
  name: string;
}

async function bytesOf(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path);
}

async function waitForReport(page: Page): Promise<void> {
  await expect(page.getByTestId('run-state')).toContainText(/Selesai/, { timeout: 90_000 });
  await expect(page.getByTestId('report-version')).toBeVisible();
}

test('hr asks for a report, waits for it and downloads the XLSX and the CSV', async ({ browser }, info) => {
  const units = await api<Unit[]>('tpp.bkpsdm', 'GET', '/units');
  const kominfo = units.find((u) => u.code === 'DISKOMINFO-SP')!;
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, 'tpp.bkpsdm');
  await page.getByRole('link', { name: 'Laporan TPP' }).click();
  await page.getByLabel('Cakupan').selectOption(kominfo.unit_id);
  await expect(page.getByTestId('report-status')).toBeVisible();
  await expectAccessible(page, 'laporan TPP');
  await expectNoSideScroll(page, 'laporan TPP');
  const month = await page.getByLabel('Bulan', { exact: true }).inputValue();
  await page.getByRole('button', { name: /^Hitung (laporan|ulang)$/ }).click();
  await waitForReport(page);
  const version = page.getByTestId('report-version');
  await expect(version).toContainText('Rp');
  await expectAccessible(page, 'laporan TPP (versi)');
  await expectTouchTargets(page, 'laporan TPP (versi)');
  await expectNoSideScroll(page, 'laporan TPP (versi)');

  const xlsx = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Unduh XLSX' }).click();
  const workbook = await xlsx;
  expect(workbook.suggestedFilename()).toBe(`tpp-${month}.xlsx`);
  const book = await bytesOf(workbook);
  expect(book.length).toBeGreaterThan(0);
  expect(book.subarray(0, 2).toString('latin1')).toBe('PK');

  const csv = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Unduh CSV' }).click();
  const table = await csv;
  expect(table.suggestedFilename()).toBe(`tpp-${month}.csv`);
  const text = (await bytesOf(table)).toString('utf8');
  expect(text.length).toBeGreaterThan(0);
  expect(text.split('\n').length).toBeGreaterThan(1);
  // The same file the API lists for that version.
  const files = await api<{ name: string; bytes: number }[]>('tpp.bkpsdm', 'GET', `/tpp/reports/${month}/files?unit=${kominfo.unit_id}`);
  expect(files.find((f) => f.name === `tpp-${month}.csv`)?.bytes).toBe(Buffer.byteLength(text));
  await context.close();
});

test('hr publishes a rule set version from the current one and compares the two', async ({ browser }, info) => {
  interface Rule {
    version: number;
    name: string;
    effective_from: string;
    absent_percent: string;
    late_bands: { percent: string }[];
  }
  // The form starts from the newest version (another project's run may have published it):
  // every value typed differs from that one's.
  const before = await api<Rule[]>('tpp.bkpsdm', 'GET', '/tpp/rule-sets');
  const source = before[before.length - 1]!;
  const current = source.version;
  const absent = Number(source.absent_percent) + 0.5;
  const late = Number(source.late_bands[0]!.percent) + 0.25;
  const from = source.effective_from === '2099-01-01' ? '2099-02-01' : '2099-01-01';
  const pct = (n: number) => `${n.toLocaleString('id-ID', { maximumFractionDigits: 2 })} %`;
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await signIn(page, 'tpp.bkpsdm');
  await page.getByRole('link', { name: 'Aturan TPP' }).click();
  await expect(page.getByTestId('rule-sets').getByRole('listitem').first()).toBeVisible();
  await expectAccessible(page, 'aturan TPP');
  await expectNoSideScroll(page, 'aturan TPP');
  await page.getByRole('link', { name: 'Terbitkan versi baru' }).click();
  await expect(page.getByLabel('Nama')).not.toHaveValue('');
  const name = `Uji ${info.project.name} ${Date.now() % 100000}`;
  await page.getByLabel('Nama').fill(name);
  // Far ahead: no month anyone reports on uses it.
  await page.getByLabel('Berlaku mulai').fill(from);
  await page.getByLabel('Tanpa keterangan (TK)').fill(String(absent));
  await page.getByLabel('TL1: persen').fill(String(late));
  await expectAccessible(page, 'terbitkan versi baru');
  await expectNoSideScroll(page, 'terbitkan versi baru');
  await page.getByRole('button', { name: 'Terbitkan' }).click();
  await expect(page.getByRole('status')).toContainText(/Versi \d+ terbit/);
  const after = await api<Rule[]>('tpp.bkpsdm', 'GET', '/tpp/rule-sets');
  const published = after.find((r) => r.name === name)!;
  expect(published.version).toBeGreaterThan(current);

  await page.getByRole('link', { name: 'Aturan TPP' }).click();
  await page.getByLabel('Versi kiri').selectOption(String(current));
  await page.getByLabel('Versi kanan').selectOption(String(published.version));
  await page.getByRole('button', { name: 'Bandingkan' }).click();
  const table = page.getByTestId('compare');
  await expect(table).toBeVisible();
  const changed = table.locator('tr.changed');
  await expect(changed).toHaveCount(4); // name, effective_from, TL1, TK
  await expect(table.locator('tr[data-key="absent"]')).toHaveClass(/changed/);
  await expect(table.locator('tr[data-key="absent"] td').nth(1)).toHaveText(pct(absent));
  await expect(table.locator('tr[data-key="late.1"] td').nth(1)).toContainText(pct(late));
  await expect(table.locator('tr[data-key="late.2"]')).not.toHaveClass(/changed/);
  await expect(page.getByTestId('changed-count')).toHaveText('4 ketentuan berbeda (ditandai).');
  await expectAccessible(page, 'bandingkan aturan');
  await page.getByLabel('Tampilkan yang berbeda saja').check();
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expectTouchTargets(page, 'bandingkan aturan');
  await expectNoSideScroll(page, 'bandingkan aturan');
  await context.close();
});

test('hr enters a penalty and withdraws it, and freezes a month after confirming', async ({ browser }, info) => {
  const bkpsdm = await api<{ unit: { unit_id: string } }>('kepala.bkpsdm', 'GET', '/me');
  const code = `F${Math.random().toString(16).slice(2, 10).toUpperCase()}`;
  const unit = await api<Unit>('admin', 'POST', '/units', { code, name: `Seksi Uji Beku ${code}`, kind: 'section', parent_id: bkpsdm.unit.unit_id });
  const person = await newEmployee(unit.unit_id, `Pegawai Disiplin ${code}`);
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await signIn(page, 'tpp.bkpsdm');

  await page.getByRole('link', { name: 'Hukuman disiplin' }).click();
  const month = await page.getByLabel('Bulan', { exact: true }).inputValue();
  await page.getByLabel('NIP pegawai').fill(person.nip);
  await page.getByLabel('Persen potongan').fill('10');
  await page.getByLabel('Lamanya (bulan)').fill('3');
  await page.getByLabel('Nomor SK').fill(`800/${code}/BKPSDM`);
  await page.getByLabel('Alasan', { exact: true }).fill('Hukuman disiplin sedang');
  await expectAccessible(page, 'hukuman disiplin');
  await expectNoSideScroll(page, 'hukuman disiplin');
  await page.getByRole('button', { name: 'Simpan', exact: true }).click();
  const entry = page.getByTestId('penalties').getByRole('listitem').filter({ hasText: person.nip });
  await expect(entry).toContainText('10 %');
  await entry.getByRole('button', { name: 'Tarik hukuman ini' }).click();
  await entry.getByLabel('Alasan penarikan').fill('Salah memasukkan NIP');
  await entry.getByRole('button', { name: 'Tarik', exact: true }).click();
  await expect(entry).toContainText('Ditarik: Salah memasukkan NIP');
  const listed = await api<{ nip: string; cancelled: unknown }[]>('tpp.bkpsdm', 'GET', `/tpp/penalties?month=${month}&nip=${person.nip}`);
  expect(listed.map((p) => p.cancelled !== null)).toEqual([true]);

  await page.getByRole('link', { name: 'Laporan TPP' }).click();
  await page.getByLabel('Cakupan').selectOption(unit.unit_id);
  await expect(page.getByTestId('report-status')).toContainText('Belum ada laporan');
  await page.getByRole('button', { name: 'Hitung laporan' }).click();
  await waitForReport(page);
  await page.getByRole('button', { name: 'Bekukan bulan ini' }).click();
  const dialog = page.getByRole('dialog', { name: 'Bekukan laporan bulan ini?' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'bekukan (konfirmasi)');
  await expectNoSideScroll(page, 'bekukan (konfirmasi)');
  await dialog.getByRole('button', { name: 'Batal' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Bekukan bulan ini' }).click();
  await dialog.getByRole('button', { name: 'Ya, bekukan' }).click();
  await expect(page.getByTestId('frozen')).toContainText('Dibekukan');
  await expect(page.getByRole('button', { name: /^Hitung/ })).toHaveCount(0);
  const reportMonth = await page.getByLabel('Bulan', { exact: true }).inputValue();
  const status = await api<{ frozen: boolean }>('tpp.bkpsdm', 'GET', `/tpp/reports/${reportMonth}?unit=${unit.unit_id}`);
  expect(status.frozen).toBe(true);
  await context.close();
});
