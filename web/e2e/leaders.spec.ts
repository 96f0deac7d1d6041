// What the heads do besides disposing: approve what the clerk prepared (in one tap, or changed
// first), and act as Plh. for an absent head with the capacity shown. The sign-in landing and
// the prepared dispositions screen pass axe too.
import { expect, test } from '@playwright/test';
import { api, expectAccessible, literally, registeredLetter, signIn } from './support';
import { stack } from './stack';

interface Me {
  employee: { nip: string; name: string; position_id: string | null };
  unit: { unit_id: string; name: string };
}
interface Tree {
  count: number;
  roots: { assignment: { recipient_nip: string; note?: string | null; acted_as?: string; acted_by_nip: string; sender_nip: string } }[];
}

test('approve a prepared disposition in one tap, and another after changing it', async ({ browser }, info) => {
  const staff = await api<Me>('staf.kominfo', 'GET', '/me');
  const tag = `${info.project.name} ${Date.now() % 100000}`;
  const [one, two] = [
    await registeredLetter('tu.kominfo', `Permohonan data statistik sektoral (${tag})`, 'biasa'),
    await registeredLetter('tu.kominfo', `Undangan bimbingan teknis persandian (${tag})`, 'biasa'),
  ];
  for (const letter of [one, two])
    await api('tu.kominfo', 'POST', `/letters/${letter.letter_id}/prepared-dispositions`, {
      recipients: [{ nip: staff.employee.nip }],
      instructions: ['tindak_lanjuti'],
      note: 'Disiapkan TU',
    });

  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await page.goto(stack().webUrl + '/');
  await expect(page.getByRole('button', { name: 'Masuk dengan akun Pemkab' })).toBeVisible();
  await expectAccessible(page, 'masuk');
  await signIn(page, 'kadis.kominfo');
  await page.getByRole('link', { name: 'Disiapkan TU' }).click();
  const first = page.getByTestId('prepared').getByRole('listitem').filter({ hasText: one.subject });
  await expect(first.getByTestId('prepared-to')).toHaveText(staff.employee.name);
  await expectAccessible(page, 'disiapkan TU');
  await first.getByRole('button', { name: 'Setujui dan kirim' }).click();
  await expect(first.getByText('Disetujui dan terkirim.')).toBeVisible();
  const approved = await api<Tree>('kadis.kominfo', 'GET', `/letters/${one.letter_id}/dispositions`);
  expect(approved.roots.map((r) => r.assignment.recipient_nip)).toEqual([staff.employee.nip]);

  const second = page.getByTestId('prepared').getByRole('listitem').filter({ hasText: two.subject });
  await second.getByRole('button', { name: 'Ubah' }).click();
  await second.getByLabel('Catatan').fill('Mohon hadir dan laporkan hasilnya');
  await expectAccessible(page, 'disiapkan TU (ubah)');
  await second.getByRole('button', { name: /Simpan perubahan/ }).click();
  await expect(second.getByText('Disetujui dan terkirim.')).toBeVisible();
  const changed = await api<Tree>('kadis.kominfo', 'GET', `/letters/${two.letter_id}/dispositions`);
  expect(changed.count).toBe(1);
  expect(changed.roots[0]?.assignment.note).toBe('Mohon hadir dan laporkan hasilnya');

  // Sign-out ends the session at the sign-in host too, and comes back to "Masuk".
  await page.getByRole('link', { name: 'Keluar', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Masuk dengan akun Pemkab' })).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('oidc.user')))).toEqual([]);
  await context.close();
});

test('a Plh. acts for the absent head, and what he does says so', async ({ browser }, info) => {
  const head = await api<Me>('kadis.kominfo', 'GET', '/me');
  const plh = await api<Me>('kepala.bkpsdm', 'GET', '/me');
  const staff = await api<Me>('staf.kominfo', 'GET', '/me');
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const current = await api<{ actor_nip: string; position_id: string }[]>('admin', 'GET', '/acting-assignments');
  if (!current.some((a) => a.actor_nip === plh.employee.nip && a.position_id === head.employee.position_id))
    await api('admin', 'POST', '/acting-assignments', {
      actor_nip: plh.employee.nip,
      position_id: head.employee.position_id,
      capacity: 'plh',
      starts_on: today,
      ends_on: today,
      decree_number: '800/15/BKPSDM/XII/2026',
    });
  const letter = await registeredLetter('tu.kominfo', `Laporan gangguan jaringan (${info.project.name} ${Date.now() % 100000})`);

  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await signIn(page, 'kepala.bkpsdm');
  const choice = await page.locator('#acting-as option', { hasText: 'Plh.' }).first().getAttribute('value');
  expect(choice).toBe(head.employee.nip);
  await page.getByLabel('Bertindak sebagai').selectOption(choice ?? '');
  await page.getByTestId('undisposed').getByRole('link', { name: literally(letter.subject) }).click();
  await page.getByRole('link', { name: 'Disposisikan' }).click();
  await expect(page.getByTestId('capacity')).toContainText('sebagai Plh.');
  await page.getByLabel('Cari unit atau nama').fill(staff.employee.name);
  await page.getByTestId('recipients').getByRole('checkbox', { name: literally(staff.employee.name) }).check();
  await page.getByRole('checkbox', { name: 'Tindak lanjuti' }).check();
  await expectAccessible(page, 'disposisi (Plh.)');
  await page.getByRole('button', { name: 'Kirim disposisi' }).click();
  await expect(page.getByTestId('tree')).toContainText('Plh.');

  const tree = await api<Tree>('kadis.kominfo', 'GET', `/letters/${letter.letter_id}/dispositions`);
  const sent = tree.roots[0]?.assignment;
  expect(sent?.sender_nip).toBe(head.employee.nip);
  expect(sent?.acted_by_nip).toBe(plh.employee.nip);
  expect(sent?.acted_as).toBe('plh');
  await context.close();
});

/** A valid NIP nobody in the demo holds (appointed 2026-02; the pytest suite uses 2026-01). */
function freshNip(): string {
  const born = new Date(Date.UTC(1970, 0, 1) + Math.floor(Math.random() * 10_000) * 86_400_000);
  const day = born.toISOString().slice(0, 10).replaceAll('-', '');
  return `${day}2026021${String(1 + Math.floor(Math.random() * 999)).padStart(3, '0')}`;
}

async function newEmployee(unitId: string, roles: string[]): Promise<{ nip: string; name: string; username: string }> {
  const username = `uji.${Math.random().toString(16).slice(2, 12)}`;
  return api('admin', 'POST', '/employees', {
    nip: freshNip(),
    name: `Pegawai ${username}`,
    unit_id: unitId,
    position_id: null,
    roles,
    username,
  });
}

test('a Plt. of a vacant post disposes to the staff of the unit he acts for', async ({ browser }, info) => {
  const kominfo = await api<Me>('kadis.kominfo', 'GET', '/me');
  const own = await api<Me>('staf.kominfo', 'GET', '/me');
  const code = `T${Math.random().toString(16).slice(2, 10).toUpperCase()}`;
  const unit = await api<{ unit_id: string }>('admin', 'POST', '/units', {
    code,
    name: `Bidang Uji ${code}`,
    kind: 'section',
    parent_id: kominfo.unit.unit_id,
  });
  const post = await api<{ position_id: string }>('admin', 'POST', '/positions', {
    name: `Kepala Bidang Uji ${code}`,
    unit_id: unit.unit_id,
    is_head: true,
  });
  const staff = await newEmployee(unit.unit_id, ['staff']);
  const clerk = await newEmployee(unit.unit_id, ['tu']);
  const plt = await newEmployee(kominfo.unit.unit_id, ['staff']);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  await api('admin', 'POST', '/acting-assignments', {
    actor_nip: plt.nip,
    position_id: post.position_id,
    capacity: 'plt',
    starts_on: today,
    ends_on: today,
  });
  const letter = await registeredLetter(clerk.username, `Usulan pelatihan jaringan (${info.project.name} ${Date.now() % 100000})`);

  const context = await browser.newContext({ ...info.project.use, baseURL: undefined });
  const page = await context.newPage();
  await signIn(page, plt.username);
  await page.getByLabel('Bertindak sebagai').selectOption({ label: `Plt. Kepala Bidang Uji ${code} (kosong)` });
  await page.getByTestId('undisposed').getByRole('link', { name: literally(letter.subject) }).click();
  await page.getByRole('link', { name: 'Disposisikan' }).click();
  await expect(page.getByTestId('capacity')).toContainText('sebagai Plt.');
  const choices = page.getByTestId('recipients');
  await expect(choices.getByRole('checkbox', { name: literally(staff.name) })).toBeVisible();
  // His own unit's people are not offered for this letter: the API would refuse them.
  await expect(choices.getByRole('checkbox', { name: literally(own.employee.name) })).toHaveCount(0);
  await choices.getByRole('checkbox', { name: literally(staff.name) }).check();
  await page.getByRole('checkbox', { name: 'Tindak lanjuti' }).check();
  await expectAccessible(page, 'disposisi (Plt. jabatan kosong)');
  await page.getByRole('button', { name: 'Kirim disposisi' }).click();
  await expect(page.getByTestId('tree')).toContainText('Plt.');

  const tree = await api<Tree>(clerk.username, 'GET', `/letters/${letter.letter_id}/dispositions`);
  const sent = tree.roots[0]?.assignment;
  expect(sent?.recipient_nip).toBe(staff.nip);
  expect(sent?.sender_nip).toBe(plt.nip);
  expect(sent?.acted_as).toBe('plt');
  await context.close();
});
