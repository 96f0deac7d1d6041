// pdf.js is not precached (it is cached when first used): a letter opened offline on a device
// that never loaded it says so in Bahasa Indonesia, rather than showing an error or nothing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';

vi.mock('../src/ui/pdfjs', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

const { PdfView } = await import('../src/ui/PdfView');

describe('a PDF without pdf.js on the device', () => {
  const root = document.createElement('div');
  afterEach(() => render(null, root));

  it('says the viewer is not kept yet and how to get it', async () => {
    await act(async () => {
      render(<PdfView bytes={new ArrayBuffer(8)} title="Surat" />, root);
    });
    await vi.waitFor(() => expect(root.querySelector('[data-testid="pdf-problem"]')).not.toBeNull());
    const text = root.querySelector('[data-testid="pdf-problem"]')!.textContent!;
    expect(text).toContain('Penampil PDF belum tersimpan di perangkat ini');
    expect(text).toContain('tanpa sambungan');
    expect(root.querySelector('canvas')).toBeNull();
  });
});
