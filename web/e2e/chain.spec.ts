// The Bupati's chain, entirely through the app: Bupati → Sekda → Kepala Dinas → staff, each
// signed in through the sign-in page in a browser of his own, each opening the letter (the read
// receipt the sender then sees), the staff member reporting with a file. axe on every screen.
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  api,
  expectAccessible,
  expectNoCspViolation,
  expectTouchTargets,
  literally,
  registeredLetter,
  signIn,
  watchCsp,
} from './support';

interface MeInfo {
  employee: { nip: string; name: string };
  unit: { name: string; unit_id: string };
}

async function as(browser: Browser, user: string, contextOptions: object): Promise<Page> {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  await watchCsp(page);
  await signIn(page, user);
  return page;
}

/** Open the letter from the inbox (the read receipt), then dispose it onward to `choice`. */
async function forward(page: Page, subject: string, choice: string, shown: string, instruction: string) {
  await page.getByRole('link', { name: 'Kotak masuk' }).click();
  await page.getByTestId('inbox').getByRole('link', { name: literally(subject) }).click();
  await expect(page.getByTestId('assignment')).toBeVisible();
  await expectAccessible(page, 'surat (penerima)');
  await page.getByRole('link', { name: 'Teruskan' }).click();
  await chooseAndSend(page, choice, shown, instruction);
}

/** Pick `choice` (a unit or a person) and send; the tree then shows `shown` (who receives). */
async function chooseAndSend(page: Page, choice: string, shown: string, instruction: string) {
  await page.getByLabel('Cari unit atau nama').fill(choice);
  await page.getByTestId('recipients').getByRole('checkbox', { name: literally(choice) }).first().check();
  await page.getByRole('checkbox', { name: instruction }).check();
  await page.getByLabel('Catatan').fill(`Mohon ditindaklanjuti (${choice})`);
  await expect(page.getByTestId('deadline-proposal')).toContainText('WITA');
  await expectAccessible(page, 'disposisi');
  await expectTouchTargets(page, 'disposisi');
  await page.getByRole('button', { name: 'Kirim disposisi' }).click();
  await expect(page.getByTestId('tree')).toContainText(shown);
}

test('Bupati → Sekda → Kepala Dinas → staff through the app, with read receipts', async ({ browser }, info) => {
  const options = { ...info.project.use, baseURL: undefined };
  const subject = `Rapat koordinasi transformasi digital (${info.project.name} ${Date.now() % 100000})`;
  const letter = await registeredLetter('bupati', subject);
  const sekda = await api<MeInfo>('sekda', 'GET', '/me');
  const kadis = await api<MeInfo>('kadis.kominfo', 'GET', '/me');
  const staff = await api<MeInfo>('staf.kominfo', 'GET', '/me');

  // The Bupati: the letter waits for his disposition; he reads its PDF and disposes to the Sekda.
  const bupati = await as(browser, 'bupati', options);
  await expectAccessible(bupati, 'kotak masuk');
  await expectTouchTargets(bupati, 'kotak masuk');
  await bupati.getByTestId('undisposed').getByRole('link', { name: literally(subject) }).click();
  await expect(bupati.getByTestId('pdf-canvas')).toBeVisible();
  await expect.poll(() => bupati.getByTestId('pdf-canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(0);
  await expectNoCspViolation(bupati); // pdf.js ran under script-src 'self', no eval
  await expectAccessible(bupati, 'surat');
  await expectTouchTargets(bupati, 'surat');
  await bupati.getByRole('link', { name: 'Disposisikan' }).click();
  await chooseAndSend(bupati, sekda.unit.name, sekda.employee.name, 'Tindak lanjuti');
  const sekdaNode = bupati.locator(`[data-testid="tree-node"][data-recipient="${sekda.employee.nip}"]`);
  await expect(sekdaNode.getByTestId('receipt')).toHaveText('belum dibaca');

  // The Sekda opens it (read) and forwards it to the Kepala Diskominfo.
  const sekdaPage = await as(browser, 'sekda', options);
  await expectAccessible(sekdaPage, 'kotak masuk (sekda)');
  await forward(sekdaPage, subject, kadis.unit.name, kadis.employee.name, 'Tindak lanjuti');

  // The Bupati sees the Sekda's read receipt.
  await bupati.reload();
  await expect(sekdaNode.getByTestId('receipt')).toContainText('dibaca');

  // The Kepala Dinas forwards it to his staff member, by name.
  const kadisPage = await as(browser, 'kadis.kominfo', options);
  await forward(kadisPage, subject, staff.employee.name, staff.employee.name, 'Tindak lanjuti');

  // The staff member: his assignments, start, report with a file, complete.
  const staffPage = await as(browser, 'staf.kominfo', options);
  await staffPage.getByRole('link', { name: 'Tugas saya' }).click();
  await expectAccessible(staffPage, 'tugas saya');
  await staffPage.getByTestId('assignments').getByRole('link', { name: literally(subject) }).click();
  await staffPage.getByRole('button', { name: 'Mulai kerjakan' }).click();
  await expect(staffPage.getByTestId('assignment')).toContainText('Dikerjakan');
  await staffPage.getByRole('button', { name: 'Laporkan' }).click();
  await staffPage.getByLabel('Laporan', { exact: true }).fill('Rapat sudah dikoordinasikan dengan bidang terkait.');
  await staffPage.getByLabel('Berkas laporan (opsional)').setInputFiles({
    name: 'laporan.pdf',
    mimeType: 'application/pdf',
    buffer: minimalPdf(),
  });
  await expectAccessible(staffPage, 'laporan');
  await staffPage.getByRole('button', { name: 'Selesai', exact: true }).click();
  await expect(staffPage.getByTestId('assignment')).toContainText('Selesai');

  // The Kepala Dinas sees his staff member's receipt and report.
  await kadisPage.reload();
  const staffNode = kadisPage.locator(`[data-testid="tree-node"][data-recipient="${staff.employee.nip}"]`);
  await expect(staffNode.getByTestId('receipt')).toContainText('dibaca');
  await expect(staffNode).toContainText('Selesai');

  // Through the API: the chain is one line of four, the last one done.
  const tree = await api<{ roots: { assignment: { recipient_nip: string; status: string }; children: unknown[] }[] }>(
    'bupati',
    'GET',
    `/letters/${letter.letter_id}/dispositions`,
  );
  const chain: [string, string][] = [];
  let node = tree.roots[0] as { assignment: { recipient_nip: string; status: string }; children: unknown[] } | undefined;
  while (node) {
    chain.push([node.assignment.recipient_nip, node.assignment.status]);
    node = node.children[0] as typeof node | undefined;
  }
  expect(chain.map((c) => c[0])).toEqual([sekda.employee.nip, kadis.employee.nip, staff.employee.nip]);
  expect(chain.at(-1)?.[1]).toBe('done');

  // The leaders' overview, for the Bupati.
  await bupati.getByRole('link', { name: 'Ikhtisar' }).click();
  await expect(bupati.getByTestId('overview-table')).toBeVisible();
  await expectAccessible(bupati, 'ikhtisar');
});

/** A one-page PDF, the smallest the letters' check accepts as a report's file. */
function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = 'BT /F1 14 Tf 72 770 Td (Laporan tindak lanjut) Tj ET';
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out +=
      body === null
        ? `${i + 1} 0 obj\n<< /Length ${stream.length} >>\nstream\n${stream}\nendstream\nendobj\n`
        : `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
