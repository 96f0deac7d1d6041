// The browser's side of a presigned form upload: the policy's fields as given, the file last
// (S3 ignores fields after it); too large or expired refused before a byte is sent; S3's XML
// refusals told in Bahasa Indonesia.
import { describe, expect, it } from 'vitest';
import { s3ErrorCode, sendUpload, uploadForm, UploadError, type Upload } from '../src/lib/presigned';

const form = (over: Partial<Upload> = {}): Upload => ({
  url: 'http://127.0.0.1:4566/eoffice-dev-intake-123456789012',
  fields: { key: 'uploads/l-1/u-1', policy: 'eyJ…', 'x-amz-signature': 'abc', 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
  expires_at: new Date(Date.now() + 15 * 60_000).toISOString(),
  max_bytes: 1000,
  method: 'POST',
  headers: {},
  ...over,
});

const pdf = (size = 10) => new File([new Uint8Array(size).fill(37)], 'surat-masuk.pdf', { type: 'application/pdf' });

describe('presigned uploads', () => {
  it('sends the fields in order, then the file as `file`', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    await sendUpload(form(), pdf(), { fetchImpl });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('http://127.0.0.1:4566/eoffice-dev-intake-123456789012');
    const body = seen[0]!.init.body as FormData;
    expect([...body.keys()]).toEqual(['key', 'policy', 'x-amz-signature', 'x-amz-algorithm', 'file']);
    expect((body.get('file') as File).name).toBe('surat-masuk.pdf');
  });

  it('refuses a file over the limit, or an expired form, without sending it', async () => {
    let sent = 0;
    const fetchImpl = (async () => {
      sent++;
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    await expect(sendUpload(form(), pdf(1001), { fetchImpl })).rejects.toMatchObject({ code: 'too_large' });
    await expect(
      sendUpload(form({ expires_at: new Date(Date.now() - 1000).toISOString() }), pdf(), { fetchImpl }),
    ).rejects.toMatchObject({ code: 'expired' });
    expect(sent).toBe(0);
  });

  it("tells S3's refusals apart", async () => {
    const xml = (code: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>…</Message></Error>`;
    expect(s3ErrorCode(xml('EntityTooLarge'))).toBe('EntityTooLarge');
    const answering = (status: number, body: string) =>
      (async () => new Response(body, { status })) as unknown as typeof fetch;
    const tooLarge = sendUpload(form(), pdf(), { fetchImpl: answering(400, xml('EntityTooLarge')) });
    await expect(tooLarge).rejects.toBeInstanceOf(UploadError);
    await expect(tooLarge).rejects.toThrow('Berkas terlalu besar');
    await expect(sendUpload(form(), pdf(), { fetchImpl: answering(403, xml('AccessDenied')) })).rejects.toMatchObject({
      code: 'expired',
    });
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(sendUpload(form(), pdf(), { fetchImpl: offline })).rejects.toMatchObject({ code: 'network' });
  });

  it('keeps the file last even when the policy has a field named like it', () => {
    const f = uploadForm(form({ fields: { key: 'k', 'Content-Type': 'application/pdf' } }), pdf());
    expect([...f.keys()].at(-1)).toBe('file');
  });
});
