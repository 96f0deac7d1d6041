// What the browser tests need besides the browser: tokens and API calls to set a scene up (a
// letter registered, as the clerk's screen would) and to check what arrived, signing in through
// the local sign-in page, and axe-core.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stack } from './stack';

const tokens = new Map<string, string>();

export function token(user: string): string {
  let found = tokens.get(user);
  if (!found) {
    const root = stack().root;
    found = execFileSync(resolve(root, '.venv/bin/eoffice'), ['token', user], { cwd: root, encoding: 'utf8' }).trim();
    tokens.set(user, found);
  }
  return found;
}

export async function api<T = unknown>(user: string, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await fetch(stack().apiUrl + path, {
    method,
    headers: { authorization: `Bearer ${token(user)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export interface LetterInfo {
  letter_id: string;
  subject: string;
}

/** A letter registered in the unit of `clerk` with its scan, ready to be disposed. */
export async function registeredLetter(clerk: string, subject: string, urgensi = 'segera'): Promise<LetterInfo> {
  const root = stack().root;
  const registered = await api<{ letter: { letter_id: string }; upload: { url: string; fields: Record<string, string> } }>(
    clerk,
    'POST',
    '/letters',
    {
      sender_agency: 'Kementerian Dalam Negeri',
      sender_number: `100.3/${Date.now() % 100000}/SJ`,
      sender_date: '2026-11-20',
      subject,
      classification_code: '100.3',
      sifat: 'biasa',
      urgensi,
      addressee: 'Bupati Luwu Timur',
    },
  );
  const file = join(mkdtempSync(join(tmpdir(), 'eoffice-e2e-')), 'scan.pdf');
  execFileSync(resolve(root, '.venv/bin/eoffice'), ['sample-scan', file], { cwd: root });
  const form = new FormData();
  for (const [k, v] of Object.entries(registered.upload.fields)) form.append(k, v);
  form.append('file', new Blob([readFileSync(file)], { type: 'application/pdf' }), 'scan.pdf');
  const sent = await fetch(registered.upload.url, { method: 'POST', body: form });
  expect(sent.status).toBeLessThan(300);
  const id = registered.letter.letter_id;
  await expect
    .poll(async () => (await api<{ status: string }>(clerk, 'GET', `/letters/${id}`)).status, { timeout: 30_000 })
    .toBe('registered');
  return { letter_id: id, subject };
}

/** From a letter's page: dispose it to the head of `unitName` with one instruction, through the
 * app's dispose form (what follows, sent or kept on the device, is the caller's to check). */
export async function disposeToUnit(page: Page, unitName: string, instruction: string): Promise<void> {
  await page.getByRole('link', { name: 'Disposisikan' }).click();
  await page.getByLabel('Cari unit atau nama').fill(unitName);
  await page.getByTestId('recipients').getByRole('checkbox', { name: literally(unitName) }).first().check();
  await page.getByRole('checkbox', { name: instruction }).check();
  await page.getByRole('button', { name: 'Kirim disposisi' }).click();
}

/** Sign in through the app's "Masuk" and the local sign-in page (no password there). */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(stack().webUrl + '/');
  await page.getByRole('button', { name: 'Masuk dengan akun Pemkab' }).click();
  const choice = page.locator(`button[name="username"][value="${username}"]`);
  await page.waitForLoadState('domcontentloaded');
  if ((await choice.count()) === 0) {
    await page.locator('input[name="q"]').fill(username);
    await page.locator('form.search button[type="submit"]').click();
  }
  await choice.first().click();
  await page.waitForURL((url) => url.toString().startsWith(stack().webUrl) && !url.pathname.startsWith('/masuk'));
  await expect(page.getByTestId('who')).not.toContainText('Memuat');
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  expect(bad, `axe on ${screen}`).toEqual([]);
}

export function nip(user: string): Promise<string> {
  return api<{ employee: { nip: string } }>(user, 'GET', '/me').then((m) => m.employee.nip);
}

/** A pattern matching `text` as it is (subjects have parentheses, unit names commas). */
export function literally(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Record Content-Security-Policy violations of the page (pdf.js must run without eval). */
export async function watchCsp(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

export async function expectNoCspViolation(page: Page): Promise<void> {
  const seen = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  expect(seen, 'CSP violations').toEqual([]);
}

/** Every control one taps is at least 44 px high (and wide), as on a cheap phone's screen. */
export async function expectTouchTargets(page: Page, screen: string): Promise<void> {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main button, main .button, main select, main .item-link, main .back, header .tab, header .button, header select')]
      .filter((e) => e.offsetParent !== null)
      .map((e) => ({ what: (e.textContent ?? e.tagName).trim().slice(0, 40), box: e.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(({ what, box }) => `${what} ${Math.round(box.width)}x${Math.round(box.height)}`),
  );
  expect(small, `touch targets on ${screen}`).toEqual([]);
}
