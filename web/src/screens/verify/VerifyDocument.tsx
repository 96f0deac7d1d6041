// The public record of a signed document (/verifikasi/:documentId), from GET /verify/{id}'s
// JSON: the same facts as the API's own HTML page (which signed letters' QR codes open), in
// Bahasa Indonesia, with no sign-in: status (sah, dicabut, or belum lengkap while not every
// signer has signed), number, subject (left out for a secret letter), unit, signers and times,
// the signed file's SHA-256; and a link to check a copy of the file.

import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError, ok, type Schemas } from '../../api/client';
import { usePublic } from '../../app/publicContext';
import { dateTime } from '../../lib/format';
import { o } from '../../strings.office';
import { t } from '../../strings';
import { ProblemNote } from '../../ui/bits';
import '../../styles/office.css';

type PublicDocument = Schemas['PublicDocument'];

export function PublicHeader() {
  return (
    <header class="top public-top">
      <div class="top-row">
        <a class="brand" href="/verifikasi">
          {t.appLong}
        </a>
      </div>
    </header>
  );
}

export function signerLine(s: Schemas['PublicSignature']): string {
  const capacity = o.verify.capacity[s.capacity] ?? '';
  if (s.capacity === 'seal') return `${capacity}: ${s.name}`;
  return `${s.name}, ${capacity ? `${capacity} ` : ''}${s.position}`;
}

export function VerifyDocument() {
  const { params } = useRoute();
  const id = params['documentId'] ?? '';
  const { api } = usePublic();
  const [doc, setDoc] = useState<PublicDocument | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setDoc(null);
    setError(null);
    void ok(
      api.GET('/verify/{document_id}', {
        params: { path: { document_id: id } },
        headers: { Accept: 'application/json' },
      }),
    )
      .then((d) => setDoc(d as PublicDocument))
      .catch(setError);
  }, [id]);

  const notFound = error instanceof ApiError && (error.status === 404 || error.status === 422);
  return (
    <>
      <PublicHeader />
      <section class="screen">
        <h1>{o.verify.title}</h1>
        {notFound ? (
          <p class="problem" role="alert">
            {o.verify.notFound}
          </p>
        ) : (
          <ProblemNote error={error} />
        )}
        {!doc && !error && <p class="loading">{t.loading}</p>}
        {doc && <Record doc={doc} />}
        <p class="actions">
          <a class="button" href="/verifikasi">
            {o.verify.checkCopy}
          </a>
        </p>
      </section>
    </>
  );
}

function Record({ doc }: { doc: PublicDocument }) {
  const officials = doc.signatures.filter((s) => s.capacity !== 'seal').length;
  return (
    <section class={`card verdict ${doc.status}`} data-testid="verify-record">
      <p class={`verdict-line ${doc.status}`} data-testid="verify-status">
        <strong>{o.verify.status[doc.status]}</strong>: {o.verify.statusLead[doc.status]}
      </p>
      <dl class="meta">
        <dt>{o.verify.number}</dt>
        <dd data-testid="verify-number">{doc.number ?? '–'}</dd>
        <dt>{o.verify.subject}</dt>
        <dd>{doc.subject ?? o.verify.subjectHidden}</dd>
        <dt>{o.verify.kind}</dt>
        <dd>{(o.kind as Record<string, string>)[doc.kind] ?? doc.kind}</dd>
        <dt>{o.verify.unit}</dt>
        <dd>{doc.unit_name}</dd>
        <dt>{o.verify.signedOn}</dt>
        <dd>{doc.signed_on ?? '–'}</dd>
        {doc.revoked_at && (
          <>
            <dt>{o.verify.revokedAt}</dt>
            <dd>{dateTime(doc.revoked_at)}</dd>
            <dt>{o.verify.revokedReason}</dt>
            <dd>{doc.revocation_reason ?? '–'}</dd>
          </>
        )}
        <dt>{o.verify.sha}</dt>
        <dd class="hash">{doc.sha256}</dd>
        <dt>{o.verify.size}</dt>
        <dd>{o.bytes(doc.size)}</dd>
      </dl>
      <h2>
        {o.verify.signatures} ({o.verify.signedCount(officials, doc.signers_total)})
      </h2>
      <ol data-testid="verify-signatures">
        {doc.signatures.map((s, i) => (
          <li key={i}>
            {signerLine(s)} · {dateTime(s.signed_at)} WITA · PAdES {s.level}
          </li>
        ))}
      </ol>
    </section>
  );
}
