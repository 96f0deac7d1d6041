// The browser side of the API's presigned form uploads (S3 POST policy): every field of
// `upload.fields` as it is, then the file as `file` (S3 ignores what follows the file), posted
// straight to the bucket; the API never sees the bytes. S3 answers 204 (or 201/200 with
// success_action_status); a refusal is an XML <Error> with a <Code> (EntityTooLarge, or
// AccessDenied once the policy expired). The file is checked by content later, by the intake
// function: a 204 says only that it arrived.

import type { Schemas } from '../api/client';
import { o } from '../strings.office';

export type Upload = Schemas['Upload'];

export class UploadError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export function megabytes(bytes: number): string {
  return o.bytes(bytes);
}

/** The multipart form S3 wants: the policy's fields in order, the file last. */
export function uploadForm(upload: Upload, file: Blob, name = 'berkas'): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(upload.fields)) form.append(key, value);
  form.append('file', file, file instanceof File ? file.name : name);
  return form;
}

/** S3's error code in its XML answer, if any. */
export function s3ErrorCode(xml: string): string | null {
  const match = /<Code>([^<]+)<\/Code>/.exec(xml);
  return match?.[1] ?? null;
}

/**
 * Send a file with an upload form. Refuses a file over `max_bytes` or an expired form before
 * sending it (S3 would refuse both, after the whole file went over a slow link).
 */
export async function sendUpload(
  upload: Upload,
  file: Blob,
  { now = Date.now(), fetchImpl = fetch }: { now?: number; fetchImpl?: typeof fetch } = {},
): Promise<void> {
  if (file.size > upload.max_bytes) {
    throw new UploadError('too_large', o.upload.tooBig(megabytes(upload.max_bytes)));
  }
  if (Date.parse(upload.expires_at) <= now) throw new UploadError('expired', o.upload.expired);
  let answer: Response;
  try {
    answer = await fetchImpl(upload.url, {
      method: upload.method || 'POST',
      body: uploadForm(upload, file),
      headers: upload.headers ?? {},
    });
  } catch {
    throw new UploadError('network', o.upload.network);
  }
  if (answer.ok) return;
  const code = s3ErrorCode(await answer.text().catch(() => ''));
  if (code === 'EntityTooLarge') {
    throw new UploadError('too_large', o.upload.tooBig(megabytes(upload.max_bytes)));
  }
  if (code === 'AccessDenied' || code === 'ExpiredToken') {
    throw new UploadError('expired', o.upload.expired);
  }
  throw new UploadError(code ?? `http_${answer.status}`, o.upload.failed(answer.status));
}
