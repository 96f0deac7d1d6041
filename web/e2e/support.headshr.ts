// What the heads' and BKPSDM's browser tests set up through the API: a fresh employee of a
// unit, his check-in at the unit's demo office by the native path (Android ID, mock_location:
// as tests/e2e/test_attendance_e2e.py does), a leave he files with its document, and days in
// WITA.
import { expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { api } from './support';
import { stack } from './stack';

export interface Person {
  nip: string;
  name: string;
  username: string;
  unit_id: string;
}

/** A valid NIP nobody in the demo holds (appointed 2026-03: leaders.spec uses 2026-02, the
 * pytest suite 2026-01). */
export function freshNip(): string {
  const born = new Date(Date.UTC(1970, 0, 1) + Math.floor(Math.random() * 10_000) * 86_400_000);
  const day = born.toISOString().slice(0, 10).replaceAll('-', '');
  return `${day}2026031${String(1 + Math.floor(Math.random() * 999)).padStart(3, '0')}`;
}

export async function newEmployee(unitId: string, name: string, roles: string[] = ['staff']): Promise<Person> {
  const username = `uji.${Math.random().toString(16).slice(2, 12)}`;
  const made = await api<Person>('admin', 'POST', '/employees', { nip: freshNip(), name, unit_id: unitId, position_id: null, roles, username });
  return { ...made, username };
}

export function witaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

interface Office {
  latitude: number;
  longitude: number;
}

/** A check-in from his phone at his unit's first office, as the Android app sends it. */
export async function checkInAtOffice(person: Person): Promise<{ checkin_id: string; state: string }> {
  const offices = await api<Office[]>('admin', 'GET', `/offices?unit=${person.unit_id}`);
  const office = offices[0];
  expect(office, 'the unit has a demo office').toBeTruthy();
  return api(person.username, 'POST', '/attendance/check-ins', {
    client_id: crypto.randomUUID().replaceAll('-', ''),
    device_id: `android-${Math.random().toString(16).slice(2, 14)}`,
    kind: 'in',
    latitude: office!.latitude,
    longitude: office!.longitude,
    accuracy_m: 8,
    phone_time: new Date().toISOString(),
    mock_location: false,
  });
}

/** A leave he files for a day ahead, with a PDF document uploaded through its form. */
export async function fileLeave(person: Person, reason: string): Promise<{ leave_id: string }> {
  const root = stack().root;
  const document = await api<{ document_id: string; upload: { url: string; fields: Record<string, string> } }>(
    person.username,
    'POST',
    '/leaves/documents',
    { content_type: 'application/pdf' },
  );
  const file = join(mkdtempSync(join(tmpdir(), 'eoffice-e2e-')), 'surat-dokter.pdf');
  execFileSync(resolve(root, '.venv/bin/eoffice'), ['sample-scan', file], { cwd: root });
  const form = new FormData();
  for (const [k, v] of Object.entries(document.upload.fields)) form.append(k, v);
  form.append('file', new Blob([readFileSync(file)], { type: 'application/pdf' }), 'surat-dokter.pdf');
  const sent = await fetch(document.upload.url, { method: 'POST', body: form });
  expect(sent.status).toBeLessThan(300);
  const start = new Date(Date.now() + 8 * 3600_000 + 14 * 86_400_000).toISOString().slice(0, 10);
  return api(person.username, 'POST', '/leaves', {
    type: 'cuti_sakit',
    starts_on: start,
    ends_on: start,
    reason,
    document_id: document.document_id,
  });
}

/** Nothing is wider than the phone's screen (a wider page is zoomed out and hard to tap). */
export async function expectNoSideScroll(page: import('@playwright/test').Page, screen: string): Promise<void> {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(wide, `side scroll on ${screen}`).toBeLessThanOrEqual(0);
}
