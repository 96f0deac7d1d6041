// The PDFs kept on the device are bounded: the most recently opened letters' stay, the oldest go.
import { describe, expect, it } from 'vitest';
import { keep, kept, openedPdf } from '../src/offline/cache';

describe('kept PDFs', () => {
  it('keeps at most N, evicting the letters opened longest ago', async () => {
    const user = 'pdfuser';
    const key = (i: number) => `${user}:pdf:L-${i}:sha`;
    for (let i = 1; i <= 4; i++) {
      await keep(key(i), new ArrayBuffer(8));
      await openedPdf(user, key(i), 1000 + i, 3);
    }
    expect(await kept(key(1))).toBeUndefined();
    for (const i of [2, 3, 4]) expect(await kept(key(i))).toBeDefined();
    // Opening L-2 again makes it recent: the next new one evicts L-3.
    await openedPdf(user, key(2), 2000, 3);
    await keep(key(5), new ArrayBuffer(8));
    await openedPdf(user, key(5), 2001, 3);
    expect(await kept(key(3))).toBeUndefined();
    for (const i of [2, 4, 5]) expect(await kept(key(i))).toBeDefined();
    // Another user's PDFs are not counted nor touched.
    await keep('other:pdf:L-1:sha', new ArrayBuffer(8));
    await openedPdf('other', 'other:pdf:L-1:sha', 3000, 3);
    for (const i of [2, 4, 5]) expect(await kept(key(i))).toBeDefined();
  });
});
