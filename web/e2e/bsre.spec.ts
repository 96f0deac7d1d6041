// A signer whose key is at BSrE signs in the app: `eoffice dev` runs the BSrE stand-in and
// registers kepala.bkpsdm there (no key of hers here) with the demo NIK and passphrase it prints.
// A draft with her as signer (no paraf), then in the app: a wrong passphrase is refused in
// Bahasa Indonesia and the BSrE form stays; the right one signs; afterwards nothing the browser
// keeps (localStorage, sessionStorage, every IndexedDB store, Cache Storage, cookies, the address)
// holds the passphrase or the NIK; the signed file downloads; axe on the panel.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { api, expectAccessible, nip, signIn, token } from './support';
import { stack } from './stack';

// The stand-in's demo values (infra/local/eoffice_local/signing_demo.py), printed by eoffice dev.
const NIK = '7324055706720005';
const PASSPHRASE = 'Demo#BSrE-2026';
const WRONG = 'Salah#Tebak-0000';

/** A nota dinas of BKPSDM drafted by its staff with kepala.bkpsdm as the one signer, no
 *  reviewers, its PDF uploaded: ready to sign. */
async function draftForBsre(subject: string): Promise<string> {
  const root = stack().root;
  const units = await api<{ unit_id: string; code: string }[]>('tpp.bkpsdm', 'GET', '/units');
  const draft = await api<{ outgoing: { outgoing_id: string } }>('tpp.bkpsdm', 'POST', '/outgoing', {
    kind: 'nota_dinas',
    classification_code: '800.1.2.2',
    subject,
    recipients: [{ kind: 'unit', unit_id: units.find((u) => u.code === 'DISKOMINFO-SP')!.unit_id }],
    signers: [await nip('kepala.bkpsdm')],
    reviewers: [],
  });
  const id = draft.outgoing.outgoing_id;
  const file = join(mkdtempSync(join(tmpdir(), 'eoffice-e2e-')), 'nota.pdf');
  execFileSync(resolve(root, '.venv/bin/eoffice'), ['sample-letter', file], { cwd: root });
  const sent = await fetch(`${stack().apiUrl}/outgoing/${id}/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token('tpp.bkpsdm')}`, 'content-type': 'application/pdf' },
    body: readFileSync(file),
  });
  expect(sent.status).toBeLessThan(300);
  await expect
    .poll(async () => (await api<{ status: string }>('tpp.bkpsdm', 'GET', `/outgoing/${id}`)).status, { timeout: 30_000 })
    .toBe('ready_to_sign');
  return id;
}

/** Everything the page's origin keeps, as text: web storage, every IndexedDB store (keys and
 *  values), Cache Storage's requests and bodies, cookies, and the address. */
async function everythingKept(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [location.href, document.cookie];
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)!;
        parts.push(key, storage.getItem(key) ?? '');
      }
    }
    const asText = (value: unknown) => {
      try {
        return JSON.stringify(value, (_k, v: unknown) => (v instanceof ArrayBuffer ? new TextDecoder().decode(v) : v));
      } catch {
        return String(value);
      }
    };
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      parts.push(`db:${info.name}`);
      for (const name of [...db.objectStoreNames]) {
        const store = db.transaction(name, 'readonly').objectStore(name);
        const [keys, values] = await Promise.all(
          [store.getAllKeys(), store.getAll()].map(
            (request) =>
              new Promise<unknown>((ok, fail) => {
                request.onsuccess = () => ok(request.result);
                request.onerror = () => fail(request.error);
              }),
          ),
        );
        parts.push(`store:${name}`, asText(keys), asText(values));
      }
      db.close();
    }
    if ('caches' in self) {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          parts.push(request.url);
          const answer = await cache.match(request);
          const type = answer?.headers.get('content-type') ?? '';
          if (answer && /json|text/.test(type)) parts.push(await answer.text());
        }
      }
    }
    return parts.join('\n');
  });
}

test('a signer whose key is at BSrE signs with her NIK and passphrase, and the browser keeps neither', async ({ browser }, info) => {
  const options = { ...info.project.use, baseURL: undefined, acceptDownloads: true };
  const id = await draftForBsre(`Usulan formasi pegawai (${info.project.name} ${Date.now() % 100000})`);
  const context = await browser.newContext(options);
  const signer = await context.newPage();
  await signIn(signer, 'kepala.bkpsdm');
  await signer.goto(`${stack().webUrl}/surat-keluar/${id}`);
  const panel = signer.getByTestId('sign-panel');
  await expect(panel).toBeVisible();
  await expect(signer.getByTestId('outgoing-status')).toHaveText('Siap ditandatangani');

  // BSrE's fields: the button waits for a 16-digit NIK and a passphrase.
  await signer.getByLabel('Tanda tangan melalui BSrE').check();
  await expect(signer.getByTestId('bsre-fields')).toBeVisible();
  await expect(signer.getByTestId('sign')).toBeDisabled();
  await expectAccessible(signer, 'tanda tangan (BSrE)');

  // A wrong passphrase: BSrE refuses, in Bahasa Indonesia; the letter is not signed, the form stays.
  await signer.getByLabel('NIK (16 angka)').fill(NIK);
  await signer.getByLabel('Passphrase').fill(WRONG);
  await signer.getByTestId('sign').click();
  const problem = signer.getByTestId('sign-problem');
  await expect(problem).toContainText('BSrE menolak penandatanganan', { timeout: 60_000 });
  await expect(problem).not.toContainText(/refused|passphrase anda/i); // not the API's English detail
  await expect(signer.getByTestId('bsre-fields')).toBeVisible();
  await expect(signer.getByLabel('Passphrase')).toHaveValue(''); // what was typed went with the request
  await expect(signer.getByTestId('outgoing-status')).toHaveText('Siap ditandatangani');
  expect((await api<{ status: string }>('tpp.bkpsdm', 'GET', `/outgoing/${id}`)).status).toBe('ready_to_sign');
  await expectAccessible(signer, 'tanda tangan (BSrE ditolak)');

  // The right one signs.
  await signer.getByLabel('NIK (16 angka)').fill(NIK);
  await signer.getByLabel('Passphrase').fill(PASSPHRASE);
  await signer.getByTestId('sign').click();
  await expect(signer.getByTestId('outgoing-status')).toHaveText('Ditandatangani', { timeout: 60_000 });
  await expect(signer.getByTestId('outgoing-notice')).toHaveText('Surat telah ditandatangani.');
  const letter = await api<{ status: string; signatures: { backend: string; certificate_subject: string }[] }>(
    'tpp.bkpsdm',
    'GET',
    `/outgoing/${id}`,
  );
  expect(letter.status).toBe('signed');
  expect(letter.signatures.map((s) => s.backend)).toEqual(['bsre']);
  expect(letter.signatures[0]!.certificate_subject).toContain(NIK); // her certificate at BSrE

  // The signed file downloads.
  const [download] = await Promise.all([signer.waitForEvent('download'), signer.getByTestId('download-signed').click()]);
  const pdf = readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.toString('latin1')).toContain('/ByteRange');
  await expectAccessible(signer, 'surat keluar (ditandatangani melalui BSrE)');

  // Nothing the browser keeps holds the passphrase or the NIK (the wrong one neither).
  // The one NIK allowed is the server's own record of the signature: the certificate BSrE signed
  // with names her by NIK (its subject's serialNumber, as in the PDF itself), and the app keeps
  // the letter's record for offline reading. That record is taken out before looking.
  const everything = await everythingKept(signer);
  // The read really saw the app's own IndexedDB records of this letter, and the address.
  expect(everything).toMatch(/db:eoffice-cache\nstore:kept\n/);
  expect(everything).toContain(`"outgoing_id":"${id}"`);
  const subject = /"certificate_subject":"[^"]*"/g;
  const kept = everything.replace(subject, '"certificate_subject":"…"');
  for (const secret of [PASSPHRASE, WRONG, NIK]) {
    const at = kept.indexOf(secret);
    const where = kept.slice(0, Math.max(0, at)).match(/(?:db|store):[^\n]*/g)?.slice(-2).join(' ') ?? 'web storage or the address';
    expect(at, `${secret} kept in the browser (${where}): …${kept.slice(Math.max(0, at - 200), at + 100)}…`).toBe(-1);
  }
  expect(signer.url()).not.toContain(NIK);
  await context.close();
});
