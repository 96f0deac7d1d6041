// The administrators in the app: an import with one bad row shows it and applies nothing; fixed,
// it is applied and the new employees' sign-ins are made (the job's progress reaches done; the
// employee's sign_in is `created` through the API); a circle and a polygon geofence are drawn on
// the map and saved (read back through the API); a year's calendar is edited. axe on every
// screen, and not one request to a host outside the stack (no tile server, no CDN).
import { expect, test, type Page } from '@playwright/test';
import { api, expectAccessible, signIn } from './support';
import { csv, freshNip, guardOutsideHosts } from './support.admin';

interface Unit { unit_id: string; code: string; name: string }
interface Office { office_id: string; name: string; latitude: number; longitude: number; radius_m: number; polygon: { latitude: number; longitude: number }[] | null }
interface EmployeeView { nip: string; name: string; active: boolean; sign_in?: { state: string } }
interface Calendar { days_off: { on: string; name: string; kind: string }[] }

async function nav(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: label, exact: true }).click();
}

async function unitId(code: string): Promise<string> {
  const units = await api<Unit[]>('admin', 'GET', '/units');
  return units.find((u) => u.code === code)!.unit_id;
}

test('an admin imports employees: the bad row first, nothing applied; fixed, applied, sign-ins made', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const guard = await guardOutsideHosts(context);
  const page = await context.newPage();
  await signIn(page, 'admin');
  const tag = `${info.project.name}${Date.now() % 100000}`;
  const [good, bad] = [freshNip(1), freshNip(2)];
  const goodRow = [good, `Andi Baso ${tag}`, 'DISKOMINFO-SP', '', 'staff', '4500000', 'true', `andi.${tag}`, `andi.${tag}@example.go.id`];
  const badRow = ['19910101', `Sitti Rahma ${tag}`, 'DISKOMINFO-SP', '', 'staff', '4500000', 'true', `sitti.${tag}`, `sitti.${tag}@example.go.id`];

  await nav(page, 'Impor CSV');
  await expect(page.getByRole('heading', { name: 'Impor pegawai dari CSV' })).toBeVisible();
  await expectAccessible(page, 'impor csv');
  await page.getByLabel('Berkas CSV').setInputFiles(csv([goodRow, badRow]));
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('1 baris belum benar');
  const badLine = page.getByTestId('import-rows').locator('tr[data-row="3"]');
  await expect(badLine).toContainText('19910101');
  await expect(badLine).toContainText('NIP "19910101" tidak sah');
  await expect(page.getByRole('button', { name: 'Terapkan' })).toBeDisabled();
  await expectAccessible(page, 'impor csv (baris salah)');
  // Nothing was applied: not even the good row's employee exists.
  await expect(api('admin', 'GET', `/employees/${good}`)).rejects.toThrow(/404/);

  badRow[0] = bad;
  await page.getByLabel('Berkas CSV').setInputFiles(csv([goodRow, badRow]));
  await expect(preview).toContainText('2 baris: 2 pegawai baru, 0 diperbarui.');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page.getByTestId('import-applied')).toContainText('Diimpor: 2 baris (2 baru, 0 diperbarui).');
  const job = page.getByTestId('signin-job');
  await expect(job).toHaveAttribute('data-state', /^completed/, { timeout: 90_000 });
  await expect(job).toContainText('2 dibuat, 0 gagal, 0 menunggu, dari 2.');
  await expectAccessible(page, 'impor csv (diterapkan)');
  for (const n of [good, bad]) {
    const employee = await api<EmployeeView>('admin', 'GET', `/employees/${n}`);
    expect(employee.sign_in?.state).toBe('created');
  }

  // Pegawai: found by NIP, with his sign-in; deactivated and back.
  await nav(page, 'Pegawai');
  await page.getByLabel('Cari nama atau NIP').fill(good);
  const row = page.locator(`[data-nip="${good}"]`);
  await expect(row).toContainText(`Andi Baso ${tag}`);
  await expect(row.getByTestId('sign-in-state')).toContainText('sudah dibuat');
  await expectAccessible(page, 'pegawai');
  await row.getByRole('button').click();
  await expect(page.getByTestId('employee-form')).toBeVisible();
  await expectAccessible(page, 'pegawai (ubah)');
  page.once('dialog', (d) => void d.accept());
  const form = page.getByTestId('employee-form');
  await form.getByRole('button', { name: 'Nonaktifkan', exact: true }).click();
  await expect(form.getByRole('button', { name: 'Aktifkan kembali' })).toBeVisible();
  expect((await api<EmployeeView>('admin', 'GET', `/employees/${good}`)).active).toBe(false);
  // Deactivating him disables his sign-in (the back end's; seen here as the admin sees it).
  await expect
    .poll(async () => (await api<EmployeeView>('admin', 'GET', `/employees/${good}`)).sign_in?.state, { timeout: 30_000 })
    .toBe('disabled');
  await form.getByRole('button', { name: 'Aktifkan kembali' }).click();
  await expect(form.getByRole('button', { name: 'Nonaktifkan', exact: true })).toBeVisible();
  expect((await api<EmployeeView>('admin', 'GET', `/employees/${good}`)).active).toBe(true);
  guard.check();
  await context.close();
});

test('an admin draws a circle and a polygon geofence on the map, without any tile server', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const guard = await guardOutsideHosts(context);
  const page = await context.newPage();
  await signIn(page, 'admin');
  const unit = await unitId('DISKOMINFO-SP');
  const tag = `${info.project.name} ${Date.now() % 100000}`;

  await nav(page, 'Kantor');
  await expect(page.getByRole('heading', { name: 'Kantor', exact: true })).toBeVisible();
  await page.getByLabel('Unit', { exact: true }).selectOption(unit);
  await page.getByRole('button', { name: 'Kantor baru' }).click();
  const map = page.getByTestId('fence-map');
  await expect(map).toBeVisible();
  await expect(page.getByText('Peta dasar tidak diatur')).toBeVisible();
  await expect(map.locator('.leaflet-tile')).toHaveCount(0);
  await expectAccessible(page, 'kantor (baru)');

  // The circle: a tap moves the centre, the radius is typed.
  await page.getByLabel('Nama kantor').fill(`Kantor lingkaran ${tag}`);
  const before = await page.getByLabel('Lintang').inputValue();
  await map.scrollIntoViewIfNeeded();
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40);
  await expect(page.getByLabel('Lintang')).not.toHaveValue(before);
  await page.getByLabel('Jari-jari (meter)').fill('150');
  await page.getByLabel('Jari-jari (meter)').blur();
  const [lat, lng] = [Number(await page.getByLabel('Lintang').inputValue()), Number(await page.getByLabel('Bujur').inputValue())];
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByTestId('office-form').getByText('Tersimpan.')).toBeVisible();
  let offices = await api<Office[]>('admin', 'GET', `/offices?unit=${unit}`);
  const circle = offices.find((o) => o.name === `Kantor lingkaran ${tag}`)!;
  expect(circle).toMatchObject({ radius_m: 150, polygon: null });
  expect(circle.latitude).toBeCloseTo(lat, 6);
  expect(circle.longitude).toBeCloseTo(lng, 6);

  // The polygon: four taps, closed, an edge split, saved.
  await page.getByRole('button', { name: 'Kantor baru' }).click();
  await page.getByLabel('Nama kantor').fill(`Kantor poligon ${tag}`);
  await page.getByRole('radio', { name: 'Poligon' }).check();
  await map.scrollIntoViewIfNeeded();
  const m = (await map.boundingBox())!;
  const [cx, cy] = [m.x + m.width / 2, m.y + m.height / 2];
  for (const [dx, dy] of [[-80, -60], [80, -60], [80, 60], [-80, 60]]) await page.mouse.click(cx + dx!, cy + dy!);
  const editor = page.getByTestId('polygon-editor');
  await expect(editor).toContainText('Poligon terbuka: 4 titik.');
  await expect(map.locator('.fence-handle.vertex')).toHaveCount(4);
  await page.getByRole('button', { name: 'Tutup poligon' }).click();
  await expect(editor).toContainText('Poligon tertutup.');
  await page.getByRole('button', { name: 'Sisipkan titik setelah titik 2' }).click();
  await expect(map.locator('.fence-handle.vertex')).toHaveCount(5);
  await expectAccessible(page, 'kantor (poligon)');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByTestId('office-form').getByText('Tersimpan.')).toBeVisible();
  offices = await api<Office[]>('admin', 'GET', `/offices?unit=${unit}`);
  const polygon = offices.find((o) => o.name === `Kantor poligon ${tag}`)!;
  expect(polygon.polygon).toHaveLength(5);
  // Tapped west to east at the top: the first two vertices share a latitude, the second is east.
  expect(polygon.polygon![0]!.latitude).toBeCloseTo(polygon.polygon![1]!.latitude, 6);
  expect(polygon.polygon![1]!.longitude).toBeGreaterThan(polygon.polygon![0]!.longitude);
  guard.check();
  await context.close();
});

test('an admin edits a year of the working calendar; the other admin screens pass axe', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const guard = await guardOutsideHosts(context);
  const page = await context.newPage();
  await signIn(page, 'admin');
  // A year no other test counts deadlines in; each project its own.
  const year = new Date().getFullYear() + 2;
  const day = info.project.name === 'phone' ? `${year}-08-17` : `${year}-06-01`;
  const name = info.project.name === 'phone' ? 'Hari Kemerdekaan' : 'Hari Lahir Pancasila';

  await nav(page, 'Kalender kerja');
  await page.getByLabel('Tahun').selectOption(String(year));
  const form = page.getByTestId('calendar-form');
  await expect(form).toBeVisible();
  await expectAccessible(page, 'kalender kerja');
  await page.getByRole('button', { name: 'Tambah hari libur' }).click();
  const last = form.getByTestId('days-off').locator('li').last();
  await last.getByLabel('Tanggal').fill(day);
  await last.getByLabel('Keterangan').fill(name);
  await last.getByLabel('Jenis').selectOption('national');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByText('Tersimpan.')).toBeVisible();
  const calendar = await api<Calendar>('admin', 'GET', `/calendar/${year}`);
  expect(calendar.days_off).toContainEqual({ on: day, name, kind: 'national' });
  await expect(form.getByTestId('days-off').locator(`li[data-on="${day}"]`)).toBeVisible();

  await nav(page, 'Organisasi');
  const tree = page.getByTestId('unit-tree');
  await expect(tree).toBeVisible();
  await expectAccessible(page, 'organisasi');
  const agency = tree.locator('li[data-unit="DISKOMINFO-SP"]');
  await agency.getByRole('button', { name: /^Buka / }).first().click();
  await expect(agency.locator('li[data-unit="DISKOMINFO-SP.APTIKA"]')).toBeVisible();
  await agency.getByRole('button', { name: 'Jabatan' }).first().click();
  await expect(page.getByTestId('positions')).toBeVisible();
  await expectAccessible(page, 'organisasi (jabatan)');

  await nav(page, 'Plt./Plh.');
  await expect(page.getByTestId('acting-form')).toBeVisible();
  await expectAccessible(page, 'plt/plh');
  guard.check();
  await context.close();
});
