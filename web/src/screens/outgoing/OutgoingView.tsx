// One outgoing letter (/surat-keluar/:outgoingId): its metadata and number, the versions of the
// draft (each viewable with pdf.js and downloadable), the uploads the intake refused with their
// reason, the paraf chain, the signers; and what this user may do now: upload a new version
// (the author), give paraf or return (the reviewer whose turn it is), sign (the next signer),
// download the signed file. A version is checked asynchronously: the page polls while it waits.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ok, type HistoryEntry } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { dateTime } from '../../lib/format';
import { fetchBytes, fileName, saveBytes } from '../../lib/download';
import {
  currentVersion,
  nextReviewer,
  outgoingOffers,
  parafSteps,
  type Outgoing,
} from '../../lib/outgoing';
import { t } from '../../strings';
import { o } from '../../strings.office';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import { History, UploadBox } from '../../ui/officeBits';
import { PdfView } from '../../ui/PdfView';
import { ReviewPanel } from './ReviewPanel';
import { SignPanel } from './SignPanel';

const POLL_MS = 1500;
const POLL_FOR_MS = 90_000;

interface Waiting {
  versions: number;
  refused: number;
  since: number;
}

export function OutgoingView() {
  const { params, query } = useRoute();
  const uploaded = query['unggah'];
  const id = params['outgoingId'] ?? '';
  const { api, user, me, online } = useApp();
  const out = useKept<Outgoing>(`${user}:outgoing:${id}`, () =>
    ok(api.GET('/outgoing/{outgoing_id}', { params: { path: { outgoing_id: id } } })),
  );
  const history = useKept<HistoryEntry[]>(`${user}:outgoing-history:${id}`, () =>
    ok(api.GET('/outgoing/{outgoing_id}/history', { params: { path: { outgoing_id: id } } })),
  );
  // Sent from the new draft's form: nothing was there before this upload.
  const [waiting, setWaiting] = useState<Waiting | null>(
    uploaded === 'ok' ? { versions: 0, refused: 0, since: Date.now() } : null,
  );
  const [shown, setShown] = useState<{ version: number | null; bytes: ArrayBuffer } | null>(null);
  const [fileProblem, setFileProblem] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (text: string) => {
    setNotice(text);
    void reload.current();
  };
  const reload = useRef(async () => undefined as void);
  reload.current = async () => {
    await Promise.all([out.reload(), history.reload()]);
  };

  const d = out.data;
  // A version being checked: done when a version or a refusal more than before appears.
  const settled =
    waiting && d && ((d.versions ?? []).length > waiting.versions || (d.refused_uploads ?? []).length > waiting.refused);
  useEffect(() => {
    if (settled) setWaiting(null);
  }, [settled]);
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (Date.now() - waiting.since > POLL_FOR_MS) setWaiting(null);
      else void reload.current();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [waiting]);

  const file = async (version: number | null, save: boolean) => {
    setFileProblem(null);
    try {
      const link = await ok(
        api.GET('/outgoing/{outgoing_id}/file', {
          params: { path: { outgoing_id: id }, query: version ? { version } : {} },
        }),
      );
      const bytes = await fetchBytes(link);
      if (save) saveBytes(bytes, fileName(version ? `${d?.provisional_number ?? id}-v${version}` : (d?.number ?? id)));
      else setShown({ version, bytes });
    } catch (error) {
      setFileProblem(error);
    }
  };

  const offers = d && me ? outgoingOffers(d, me) : null;
  const version = d ? currentVersion(d) : null;
  return (
    <section class="screen">
      <p>
        <a href="/surat-keluar">← {o.outgoing.title}</a>
      </p>
      <ProblemNote error={!d ? out.error : undefined} />
      <Loading when={out.loading && !d}>
        {d && (
          <>
            <div class="screen-head">
              <h1>{d.subject}</h1>
              <RefreshButton busy={out.loading} onClick={() => void reload.current()} />
            </div>
            <KeptNote savedAt={out.savedAt} fromDevice={out.fromDevice} />
            {uploaded && uploaded !== 'ok' && (
              <p class="problem" role="alert">
                {uploaded}
              </p>
            )}
            {notice && (
              <p class="notice" role="status" data-testid="outgoing-notice">
                {notice}
              </p>
            )}
            <div class="two-col">
              <div>
                <section class="card" aria-label={o.outgoing.draftTitle}>
                  <div class="badges">
                    <span class={`badge outgoing-status ${d.status}`} data-testid="outgoing-status">
                      {o.outgoingStatus[d.status]}
                    </span>
                  </div>
                  <dl class="meta">
                    <dt>{d.number ? o.outgoing.number : o.outgoing.provisional}</dt>
                    <dd data-testid="outgoing-number">{d.number ?? d.provisional_number}</dd>
                    <dt>{o.outgoing.kind}</dt>
                    <dd>{o.kind[d.kind]}</dd>
                    <dt>{t.letter.sifat}</dt>
                    <dd>{t.sifat[d.sifat]}</dd>
                    <dt>{t.letter.urgensi}</dt>
                    <dd>{t.urgensi[d.urgensi]}</dd>
                    {d.signed_on && (
                      <>
                        <dt>{t.letter.date}</dt>
                        <dd>{d.signed_on}</dd>
                      </>
                    )}
                  </dl>
                </section>
                {offers?.review && version !== null && (
                  <ReviewPanel outgoing={d} version={version} onDone={done} />
                )}
                {offers?.sign && <SignPanel outgoing={d} onSigned={(_signed, text) => done(text)} />}
                {offers?.download && (
                  <section class="card">
                    <button type="button" class="button primary big" onClick={() => void file(null, true)} data-testid="download-signed">
                      {o.outgoing.download}
                    </button>{' '}
                    <button type="button" class="button" onClick={() => void file(null, false)}>
                      {o.outgoing.open}
                    </button>
                    <p>
                      <a href={`/verifikasi/${d.outgoing_id}`}>{o.verify.title}</a>
                    </p>
                  </section>
                )}
                <section class="card" aria-labelledby="versions-h">
                  <h2 id="versions-h">{o.outgoing.versions}</h2>
                  {(d.versions ?? []).length === 0 ? (
                    <p class="empty">{o.outgoing.noVersion}</p>
                  ) : (
                    <ul class="plain" data-testid="versions">
                      {(d.versions ?? []).map((v) => (
                        <li key={v.version}>
                          <strong>{o.outgoing.version(v.version)}</strong> · {dateTime(v.uploaded_at)} ·{' '}
                          {o.intake.pages(v.pages)}{' '}
                          <button type="button" class="button quiet" onClick={() => void file(v.version, false)}>
                            {o.outgoing.open}
                          </button>
                          <button type="button" class="button quiet" onClick={() => void file(v.version, true)}>
                            {o.outgoing.downloadVersion}
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                  {waiting && (
                    <p class="hint" role="status" data-testid="version-checking">
                      {o.outgoing.pollNote}
                    </p>
                  )}
                  {(d.refused_uploads ?? []).length > 0 && (
                    <div class="problem" data-testid="refused-uploads">
                      <strong>{o.outgoing.refused}</strong>
                      <ul>
                        {(d.refused_uploads ?? []).map((r) => (
                          <li key={r.rejection_id}>
                            {dateTime(r.rejected_at)}: {o.reason[r.reason] ?? r.reason}
                          </li>
                        ))}
                      </ul>
                    </div>
                  )}
                  {offers?.upload && (
                    <UploadBox
                      id="version-file"
                      label={o.outgoing.uploadVersion}
                      accept="application/pdf"
                      online={online}
                      getForm={() =>
                        ok(api.POST('/outgoing/{outgoing_id}/uploads', { params: { path: { outgoing_id: id } } }))
                      }
                      onSent={() => {
                        setWaiting({
                          versions: (d.versions ?? []).length,
                          refused: (d.refused_uploads ?? []).length,
                          since: Date.now(),
                        });
                        void reload.current();
                      }}
                    />
                  )}
                </section>
                <Chain out={d} />
              </div>
              <div>
                <ProblemNote error={fileProblem} />
                {shown && (
                  <section class="card" aria-label={o.outgoing.versions}>
                    <h2>{shown.version ? o.outgoing.version(shown.version) : o.outgoingStatus.signed}</h2>
                    <PdfView bytes={shown.bytes} title={d.subject} />
                  </section>
                )}
                <section class="card" aria-labelledby="ohistory-h">
                  <h2 id="ohistory-h">{o.outgoing.history}</h2>
                  <History entries={history.data ?? []} />
                </section>
              </div>
            </div>
          </>
        )}
      </Loading>
    </section>
  );
}

function Chain({ out }: { out: Outgoing }) {
  const steps = parafSteps(out);
  const next = nextReviewer(out);
  const signed = new Map((out.signatures ?? []).map((s) => [s.order, s]));
  return (
    <section class="card" aria-labelledby="chain-h">
      <h2 id="chain-h">{o.outgoing.reviews}</h2>
      {steps.length === 0 ? (
        <p class="empty">–</p>
      ) : (
        <ol data-testid="paraf-chain">
          {steps.map((r) => (
            <li key={r.order}>
              {r.name}:{' '}
              <strong>
                {r.status === 'approved'
                  ? o.outgoing.reviewApproved
                  : r.status === 'returned'
                    ? o.outgoing.reviewReturned
                    : o.outgoing.reviewPending}
              </strong>
              {r.acted_at && <span class="hint"> · {dateTime(r.acted_at)}</span>}
              {r.note && <span class="hint"> · “{r.note}”</span>}
              {next?.order === r.order && out.status === 'in_review' && <span class="badge">{o.outgoing.turn}</span>}
            </li>
          ))}
        </ol>
      )}
      <h2>{o.outgoing.signersTitle}</h2>
      <ol data-testid="signers">
        {out.signers.map((s) => {
          const sig = signed.get(s.order);
          return (
            <li key={s.order}>
              {s.name}, {s.position}
              {sig && (
                <span class="hint">
                  {' '}
                  · {o.outgoingStatus.signed} {dateTime(sig.signed_at)}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
