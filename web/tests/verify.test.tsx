// The public record a QR code's document id opens in the app, from GET /verify/{id}'s JSON:
// valid, revoked, and incomplete (not every signer has signed: the signatures so far), a secret
// letter's subject left out; the check by upload, and its refusals in Bahasa Indonesia.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { LocationProvider, Router, Route } from 'preact-iso';
import { ApiError, makeApi } from '../src/api/client';
import { PublicContext } from '../src/app/publicContext';
import { VerifyDocument } from '../src/screens/verify/VerifyDocument';
import { checkFile, refusalText } from '../src/screens/verify/VerifyUpload';
import type { RuntimeConfig } from '../src/config';

const record = {
  document_id: 'doc-1',
  status: 'incomplete',
  number: '800.1.2.2/12/KOMINFO/2026',
  kind: 'surat_undangan',
  subject: null,
  unit_name: 'Dinas Komunikasi, Informatika, Statistik dan Persandian',
  signed_on: 'Malili, 7 Desember 2026',
  signatures: [
    { name: 'Andi Baso', position: 'Kepala Dinas', capacity: 'plt', signed_at: '2026-12-07T02:00:00Z', level: 'B-T' },
  ],
  signers_total: 2,
  sha256: 'ab'.repeat(32),
  size: 48213,
  revoked_at: null,
  revocation_reason: null,
};

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the public record', () => {
  const root = document.createElement('div');
  afterEach(() => render(null, root));

  async function open(answer: Response): Promise<Request[]> {
    const seen: Request[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Request(input, init));
      return answer;
    }) as typeof fetch;
    history.replaceState(null, '', '/verifikasi/doc-1');
    const config = { apiUrl: 'http://api.test' } as RuntimeConfig;
    await act(async () => {
      render(
        <PublicContext.Provider value={{ config, api: makeApi(config.apiUrl, async () => null) }}>
          <LocationProvider>
            <Router>
              {[<Route key="record" path="/verifikasi/:documentId" component={VerifyDocument} />]}
            </Router>
          </LocationProvider>
        </PublicContext.Provider>,
        root,
      );
      await flush();
    });
    await act(async () => {
      await flush();
    });
    return seen;
  }

  it('an incomplete letter: belum lengkap, with the signatures it has, no sign-in', async () => {
    const seen = await open(new Response(JSON.stringify(record), { headers: { 'content-type': 'application/json' } }));
    expect(new URL(seen[0]!.url).pathname).toBe('/verify/doc-1');
    expect(seen[0]!.headers.get('authorization')).toBeNull();
    expect(seen[0]!.headers.get('accept')).toBe('application/json');
    const text = root.querySelector('[data-testid=verify-record]')!.textContent!;
    expect(root.querySelector('[data-testid=verify-status]')!.textContent).toContain('Belum lengkap');
    expect(text).toContain('1 dari 2 penandatangan');
    expect(text).toContain('Andi Baso, Plt. Kepala Dinas');
    expect(text).toContain('Dirahasiakan'); // a secret letter's subject is not given
    expect(text).toContain('800.1.2.2/12/KOMINFO/2026');
  });

  it('a revoked letter says so, with when and why', async () => {
    const revoked = { ...record, status: 'revoked', revoked_at: '2026-12-08T01:00:00Z', revocation_reason: 'Salah alamat' };
    await open(new Response(JSON.stringify(revoked), { headers: { 'content-type': 'application/json' } }));
    expect(root.querySelector('[data-testid=verify-status]')!.textContent).toContain('Dicabut');
    expect(root.textContent).toContain('Salah alamat');
  });

  it('an unknown id: not found, in Bahasa Indonesia', async () => {
    const problem = { code: 'document_not_found', detail: 'no such document', status: 404, title: 'Not Found' };
    await open(new Response(JSON.stringify(problem), { status: 404, headers: { 'content-type': 'application/problem+json' } }));
    expect(root.textContent).toContain('Dokumen tidak ditemukan');
  });
});

describe('checking a file', () => {
  it('sends the PDF itself as the body, and reads the report', async () => {
    const seen: Request[] = [];
    const bodies: unknown[] = [];
    const report = { report: { all_valid: true, signature_count: 1, signatures: [], file_sha256: 'x', size: 3 }, known_document: null };
    const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Request(input, init));
      bodies.push(init?.body);
      return new Response(JSON.stringify(report), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const file = new Blob(['%PDF'], { type: 'application/pdf' });
    const answer = await checkFile('http://api.test/', file, fetchImpl);
    expect(answer.report.all_valid).toBe(true);
    expect(seen[0]!.url).toBe('http://api.test/verify');
    expect(seen[0]!.headers.get('content-type')).toBe('application/pdf');
    expect(bodies[0]).toBe(file);
  });

  it('refuses a file over 4 MB before sending it, and tells the refusals apart', async () => {
    let sent = 0;
    const fetchImpl = (async () => {
      sent++;
      return new Response('{}');
    }) as unknown as typeof fetch;
    await expect(checkFile('http://api.test', new Blob([new Uint8Array(4 * 1024 * 1024 + 1)]), fetchImpl)).rejects.toMatchObject({
      status: 413,
    });
    expect(sent).toBe(0);
    expect(refusalText(new ApiError(429, { code: 'rate_limited' }))).toContain('Terlalu banyak pemeriksaan');
    expect(refusalText(new ApiError(422, { code: 'not_a_pdf', detail: 'x' }))).toBe('Berkas bukan PDF.');
  });
});
