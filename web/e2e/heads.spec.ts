// A head's day on his phone: a new colleague checks in from his Android phone at the office
// and the head sees him in his unit's day, opens his day with the check-in; the head reviews
// nothing that is not there, opens a leave's document and approves it with a note. Then he
// approves the colleague's second phone and corrects his day (ADR 0028). Every screen passes axe.
import { expect, test } from '@playwright/test';
import { api, expectAccessible, expectTouchTargets, literally, signIn } from './support';
import { checkInAtOffice, expectNoSideScroll, fileLeave, newEmployee, witaToday } from './support.headshr';
import { stack } from './stack';

interface Me {
  employee: { nip: string; unit_id: string };
  unit: { unit_id: string; name: string };
}

test("a staff member's check-in in his head's unit day, and a leave approved", async ({ browser }, info) => {
  const kominfo = await api<Me>('kadis.kominfo', 'GET', '/me');
  const tag = `${info.project.name} ${Date.now() % 100000}`;
  const staff = await newEmployee(kominfo.unit.unit_id, `Pegawai Presensi ${tag}`);
  const checkIn = await checkInAtOffice(staff);
  expect(checkIn.state).toBe('accepted');
  const leave = await fileLeave(staff, `Sakit, surat dokter terlampir (${tag})`);

  const context = await browser.newContext({ ...info.project.use, baseURL: undefined, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, 'kadis.kominfo');
  await page.getByRole('link', { name: 'Hari ini di unit' }).click();
  await expect(page.getByLabel('Tanggal')).toHaveValue(witaToday());
  const row = page.getByTestId('unit-day').getByRole('listitem').filter({ hasText: staff.name });
  await expect(row).toBeVisible();
  const counts = page.getByTestId('day-counts');
  await expect(counts.getByRole('button', { name: /^Semua/ })).toContainText(/\d+/);
  await expectAccessible(page, 'hari ini di unit');
  await expectTouchTargets(page, 'hari ini di unit');
  await expectNoSideScroll(page, 'hari ini di unit');

  // The count buttons filter the list; "Semua" brings everyone back.
  await counts.getByRole('button', { name: /^Tidak hadir/ }).click();
  await counts.getByRole('button', { name: /^Semua/ }).click();
  await row.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/unit/${staff.nip}/${witaToday()}$`));
  const recorded = page.getByTestId('checkin');
  await expect(recorded).toHaveCount(1);
  await expect(recorded).toContainText('Masuk');
  await expect(recorded).toContainText('Diterima');
  await expect(recorded).toContainText('jam server');
  await expect(recorded).toContainText('akurasi ±8 m');
  await expectAccessible(page, 'presensi harian');
  await expectTouchTargets(page, 'presensi harian');
  await expectNoSideScroll(page, 'presensi harian');

  // The day before, from the picker: an empty day still reads as a list of the unit.
  await page.getByRole('link', { name: /Kembali ke unit/ }).click();
  await page.getByRole('button', { name: 'Hari sebelumnya' }).click();
  await expect(page).toHaveURL(/tanggal=/);
  await expect(page.getByRole('button', { name: 'Hari berikutnya' })).toBeEnabled();

  await page.getByRole('link', { name: 'Tinjauan' }).click();
  await expect(page.getByRole('heading', { name: 'Tinjauan presensi' })).toBeVisible();
  await expect(page.getByText(/Tidak ada tanda|NIP/).first()).toBeVisible();
  await expectAccessible(page, 'tinjauan');
  await expectNoSideScroll(page, 'tinjauan');

  await page.getByRole('link', { name: 'Cuti', exact: true }).click();
  const item = page.getByTestId('leaves').getByRole('listitem').filter({ hasText: literally(staff.name) });
  await expect(item).toContainText('Cuti sakit');
  await expectAccessible(page, 'cuti menunggu keputusan');
  await expectTouchTargets(page, 'cuti menunggu keputusan');
  await expectNoSideScroll(page, 'cuti menunggu keputusan');
  const download = page.waitForEvent('download');
  await item.getByRole('button', { name: 'Buka dokumen' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^cuti-\d{18}-\d{4}-\d{2}-\d{2}\.pdf$/);
  // Rejecting without a reason is stopped on the phone; approving needs none.
  await item.getByRole('button', { name: 'Tolak' }).click();
  await expect(item.getByText('Tulis alasan penolakan.')).toBeVisible();
  await item.getByLabel('Catatan keputusan').fill('Semoga lekas sembuh');
  await item.getByRole('button', { name: 'Setujui' }).click();
  await expect(item.getByText('Cuti disetujui.')).toBeVisible();
  const decided = await api<{ state: string; history: { action: string; note?: string | null }[] }>(
    staff.username,
    'GET',
    `/leaves/${leave.leave_id}`,
  );
  expect(decided.state).toBe('approved');
  expect(decided.history.at(-1)?.note).toBe('Semoga lekas sembuh');
  await context.close();
});

test("the head approves his staff's new phone and corrects his day; a refused correction is explained in Bahasa", async ({ browser }, info) => {
  const kominfo = await api<Me>('kadis.kominfo', 'GET', '/me');
  const staff = await newEmployee(kominfo.unit.unit_id, `Pegawai Koreksi ${info.project.name} ${Date.now() % 100000}`);
  expect((await checkInAtOffice(staff)).state).toBe('accepted'); // his first phone binds
  const second = await checkInAtOffice(staff); // another phone: it waits for his head
  expect(second.state).toBe('rejected');

  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await signIn(page, 'kadis.kominfo');
  await page.getByRole('link', { name: 'Perangkat' }).click();
  await expect(page.getByRole('heading', { name: 'Persetujuan perangkat' })).toBeVisible();
  const request = page.getByTestId('device-requests').getByRole('listitem').filter({ hasText: literally(staff.name) });
  await expect(request).toContainText(`NIP ${staff.nip}`);
  await expectAccessible(page, 'perangkat');
  await expectTouchTargets(page, 'perangkat');
  await expectNoSideScroll(page, 'perangkat');
  await request.getByRole('button', { name: 'Setujui ponsel ini' }).click();
  await expect(request.getByRole('status')).toContainText('Disetujui');
  const waiting = await api<{ nip: string }[]>('admin', 'GET', '/attendance/devices/requests');
  expect(waiting.filter((r) => r.nip === staff.nip)).toEqual([]);

  // His day, from the unit's day: the head corrects it there.
  await page.goto(`${stack().webUrl}/unit/${staff.nip}/${witaToday()}`);
  await page.getByRole('link', { name: 'Koreksi hari ini' }).click();
  await expect(page.getByLabel('NIP pegawai')).toHaveValue(staff.nip);
  await page.getByLabel('Keadaan hari itu').selectOption('leave');
  await page.getByLabel('Jenis cuti').selectOption('dinas_luar');
  await page.getByLabel('Alasan koreksi').fill('SPT ke Makassar, terlambat diinput');
  await expectAccessible(page, 'koreksi');
  await expectNoSideScroll(page, 'koreksi');
  await page.getByRole('button', { name: 'Simpan koreksi' }).click();
  await expect(page.getByRole('status')).toContainText('Koreksi tersimpan.');
  // Present with a time on another day: the API's refusal, in Bahasa.
  await page.getByLabel('Keadaan hari itu').selectOption('present');
  await page.getByLabel('Jam datang (WITA)').fill('07:30');
  await page.getByLabel('Jam pulang (WITA)').fill('07:00');
  await page.getByRole('button', { name: 'Simpan koreksi' }).click();
  await expect(page.getByRole('alert')).toContainText('Koreksi hanya dapat');
  const day = await api<{ corrections: { status: string; by: string }[] }>('kadis.kominfo', 'GET', `/attendance/days/${staff.nip}/${witaToday()}`);
  expect(day.corrections.map((c) => [c.status, c.by])).toEqual([['leave', kominfo.employee.nip]]);
  await context.close();
});
