// What the administrators' spec needs: a guard that no request leaves for a host outside the
// local stack (a tile server above all: the map must work without one), NIPs unique to a run,
// and CSV files built in memory.
import { expect, type BrowserContext } from '@playwright/test';
import { stack } from './stack';

/** Every request to a host that is not the stack's is refused and recorded; `check()` asserts none. */
export async function guardOutsideHosts(context: BrowserContext): Promise<{ check(): void }> {
  const local = new Set(['127.0.0.1', 'localhost', new URL(stack().webUrl).hostname, new URL(stack().apiUrl).hostname]);
  const outside: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || local.has(url.hostname)) return route.continue();
    outside.push(url.toString());
    return route.abort('blockedbyclient');
  });
  return { check: () => expect(outside, 'requests to hosts outside the stack').toEqual([]) };
}

/** A valid NIP (birth date, appointment month, sex, sequence) no other run is likely to use. */
export function freshNip(sex: 1 | 2 = 1): string {
  const n = Math.floor(Math.random() * 900_000) + 100_000;
  const day = String((n % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(n / 28) % 12) + 1).padStart(2, '0');
  const seq = String((n % 998) + 1).padStart(3, '0');
  return `1991${month}${day}2016${month}${sex}${seq}`;
}

export const CSV_HEADER = 'nip,name,unit_code,position,roles,tpp_amount,active,username,email';

export function csv(rows: string[][]): { name: string; mimeType: string; buffer: Buffer } {
  const text = [CSV_HEADER, ...rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))].join('\n');
  return { name: 'pegawai.csv', mimeType: 'text/csv', buffer: Buffer.from(text + '\n', 'utf8') };
}
