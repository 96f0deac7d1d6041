// Check any PDF, public and without sign-in (/verifikasi): the file goes as the body of
// POST /verify (application/pdf, at most 4 MB); the answer is a report per signature and, when
// the file is a letter of this system, that letter with its status and whether the file is the
// very one the system keeps. The file is checked, not kept.

import { useState } from 'preact/hooks';
import { ApiError, NetworkError, type Schemas } from '../../api/client';
import { usePublic } from '../../app/publicContext';
import { dateTime } from '../../lib/format';
import { o } from '../../strings.office';
import { t } from '../../strings';
import { PublicHeader } from './VerifyDocument';
import { problemWords } from '../../lib/problems';

type FileCheck = Schemas['FileCheck'];
export const MAX_VERIFY_BYTES = 4 * 1024 * 1024;

/** What to tell the public about a refused check. */
export function refusalText(error: unknown): string {
  if (error instanceof NetworkError) return t.offline;
  if (error instanceof ApiError) {
    if (error.status === 413) return o.verify.refused['too_large']!;
    if (error.status === 429) return o.verify.refused['rate_limited']!;
    if (error.status === 415 || error.code === 'not_a_pdf') return o.verify.refused['not_a_pdf']!;
    return problemWords(error);
  }
  return String(error);
}

export async function checkFile(apiUrl: string, file: Blob, fetchImpl: typeof fetch = fetch): Promise<FileCheck> {
  if (file.size > MAX_VERIFY_BYTES) throw new ApiError(413, { code: 'too_large', detail: o.verify.refused['too_large'] });
  let answer: Response;
  try {
    answer = await fetchImpl(`${apiUrl.replace(/\/+$/, '')}/verify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/pdf', Accept: 'application/json' },
      body: file,
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  const body: unknown = await answer.json().catch(() => null);
  if (!answer.ok) throw new ApiError(answer.status, body);
  return body as FileCheck;
}

export function VerifyUpload() {
  const { config } = usePublic();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<FileCheck | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const check = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      setResult(await checkFile(config.apiUrl, file));
    } catch (error) {
      setProblem(refusalText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PublicHeader />
      <section class="screen">
        <h1>{o.verify.uploadTitle}</h1>
        <p>{o.verify.lead}</p>
        <form class="card" onSubmit={(e) => void check(e)}>
          <div class="field">
            <label for="verify-file">{o.verify.file}</label>
            <span id="verify-hint" class="hint">
              {o.verify.uploadLead}
            </span>
            <input
              id="verify-file"
              type="file"
              accept="application/pdf"
              aria-describedby="verify-hint"
              onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
            />
          </div>
          <button type="submit" class="button primary big" disabled={!file || busy}>
            {busy ? o.verify.checking : o.verify.check}
          </button>
        </form>
        {problem && (
          <p class="problem" role="alert" data-testid="verify-problem">
            {problem}
          </p>
        )}
        {result && <Report check={result} />}
      </section>
    </>
  );
}

function Report({ check }: { check: FileCheck }) {
  const r = check.report;
  const known = check.known_document;
  const verdict = r.signature_count === 0 ? o.verify.noSignature : r.all_valid ? o.verify.allValid : o.verify.notAllValid;
  return (
    <section class={`card verdict ${r.all_valid && r.signature_count > 0 ? 'valid' : 'invalid'}`} data-testid="verify-report" aria-live="polite">
      <p class="verdict-line" data-testid="verify-verdict">
        <strong>{verdict}</strong>
      </p>
      {known ? (
        <div data-testid="verify-known">
          <h2>{o.verify.known}</h2>
          <p>
            {o.verify.number}: <strong>{known.number ?? '–'}</strong> · {o.verify.status[known.status]}
          </p>
          <p>{known.same_file ? o.verify.sameFile : o.verify.notSameFile}</p>
          <p>
            <a href={`/verifikasi/${known.document_id}`}>{o.verify.openRecord}</a>
          </p>
        </div>
      ) : (
        <p>{o.verify.unknownDocument}</p>
      )}
      <h2>{o.verify.signatures}</h2>
      <ol>
        {r.signatures.map((s) => (
          <li key={s.field_name} class="sig">
            <strong>{o.verify.sig.kind[s.kind] ?? s.kind}</strong>
            {s.signer?.common_name && <> · {s.signer.common_name}</>}
            {s.signer?.issuer_common_name && <span class="hint"> ({s.signer.issuer_common_name})</span>}
            <ul>
              <li>{s.intact ? o.verify.sig.intact : o.verify.sig.notIntact}</li>
              <li>{s.trusted ? o.verify.sig.trusted : o.verify.sig.notTrusted}</li>
              <li>{s.modified_after_signing ? o.verify.sig.modified : o.verify.sig.notModified}</li>
              {s.revoked && <li>{o.verify.sig.revoked}</li>}
              {s.timestamp?.time && (
                <li>
                  {o.verify.sig.timestamp}: {dateTime(s.timestamp.time)} WITA
                  {s.timestamp.authority ? ` (${s.timestamp.authority})` : ''}
                </li>
              )}
            </ul>
          </li>
        ))}
      </ol>
      <p class="hint">
        {o.verify.sha}: <span class="hash">{r.file_sha256}</span>
      </p>
    </section>
  );
}
