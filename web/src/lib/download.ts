// A stored file through its short-lived presigned link (the API answers `Download`): fetched as
// bytes (the buckets allow the app's origin to GET), then shown with pdf.js or saved under a
// readable name (a cross-origin link's `download` attribute is ignored, a blob's is not).

import { ApiError, NetworkError, type Download } from '../api/client';

export async function fetchBytes(link: Download, fetchImpl: typeof fetch = fetch): Promise<ArrayBuffer> {
  let answer: Response;
  try {
    answer = await fetchImpl(link.url);
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (!answer.ok) throw new ApiError(answer.status, null);
  return answer.arrayBuffer();
}

export function saveBytes(bytes: ArrayBuffer, name: string, type = 'application/pdf'): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** "800.1.2.2/12/KOMINFO/2026" → "800.1.2.2-12-KOMINFO-2026.pdf". */
export function fileName(base: string): string {
  return `${base.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'surat'}.pdf`;
}
