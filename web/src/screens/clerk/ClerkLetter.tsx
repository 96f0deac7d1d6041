// A registered letter from the records clerk's side (/agenda/:letterId): its agenda number and
// metadata, where its scan stands (sent, being checked, attached, or refused and why: the
// intake works asynchronously, so the page polls while it checks), a new upload form, the cover
// sheet to print, and the history. The leaders' letter view (/surat/...) shows the same letter
// for reading and disposing.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ok, type HistoryEntry, type Letter } from '../../api/client';
import { useApp } from '../../app/context';
import { useKept } from '../../app/useKept';
import { date } from '../../lib/format';
import { baselineOf, intakeState, type Baseline, type IntakeState } from '../../lib/intake';
import { t } from '../../strings';
import { o } from '../../strings.office';
import { CoverSheet } from '../../ui/CoverSheet';
import { KeptNote, Loading, ProblemNote, RefreshButton } from '../../ui/bits';
import { History, UploadBox } from '../../ui/officeBits';
import { LetterForm, letterBody, valuesOf } from './Register';

const POLL_MS = 1500;
const POLL_FOR_MS = 90_000;

export function ClerkLetter() {
  const { params, query } = useRoute();
  const letterId = params['letterId'] ?? '';
  const { api, user, online } = useApp();
  const letter = useKept<Letter>(`${user}:letter:${letterId}`, () =>
    ok(api.GET('/letters/{letter_id}', { params: { path: { letter_id: letterId } } })),
  );
  const history = useKept<HistoryEntry[]>(`${user}:history:${letterId}`, () =>
    ok(api.GET('/letters/{letter_id}/history', { params: { path: { letter_id: letterId } } })),
  );
  // Sent from the register form: nothing was there before this upload.
  const fromRegister = query['unggah'];
  const [since, setSince] = useState<Baseline | null>(
    fromRegister === 'ok' ? { files: 0, refusals: 0 } : null,
  );
  const [sentAt, setSentAt] = useState<number>(Date.now());
  const [cover, setCover] = useState(false);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);

  const l = letter.data;
  const state: IntakeState | null = l && history.data ? intakeState(l, history.data, since) : null;
  const checking = state?.kind === 'checking';
  const tooLong = checking && Date.now() - sentAt > POLL_FOR_MS;

  const reload = useRef(async () => undefined as void);
  reload.current = async () => {
    await Promise.all([letter.reload(), history.reload()]);
  };
  useEffect(() => {
    if (!checking || tooLong) return;
    const timer = setInterval(() => void reload.current(), POLL_MS);
    return () => clearInterval(timer);
  }, [checking, tooLong]);

  const agenda = l ? `${l.agenda_number}/${l.agenda_year}` : '';
  return (
    <section class="screen">
      <p class="no-print">
        <a href="/agenda">← {o.letters.title}</a>
      </p>
      <ProblemNote error={!l ? letter.error : undefined} />
      <Loading when={letter.loading && !l}>
        {l && (
          <>
            <div class="screen-head no-print">
              <h1>
                {o.letters.agenda} {agenda}: {l.subject ?? o.letterStatus[l.status]}
              </h1>
              <RefreshButton busy={letter.loading} onClick={() => void reload.current()} />
            </div>
            <KeptNote savedAt={letter.savedAt} fromDevice={letter.fromDevice} />
            {fromRegister && fromRegister !== 'ok' && (
              <p class="problem" role="alert">
                {fromRegister}
              </p>
            )}
            <div class="two-col">
              <div class="no-print">
                <section class="card" aria-labelledby="meta-h">
                  <h2 id="meta-h">{t.letter.title}</h2>
                  <dl class="meta">
                    <dt>{o.letters.status}</dt>
                    <dd data-testid="letter-status">{o.letterStatus[l.status]}</dd>
                    <dt>{t.letter.number}</dt>
                    <dd>{l.sender_number ?? '–'}</dd>
                    <dt>{t.letter.date}</dt>
                    <dd>{date(l.sender_date)}</dd>
                    <dt>{t.letter.sender}</dt>
                    <dd>{[l.sender_name, l.sender_agency].filter(Boolean).join(', ') || '–'}</dd>
                    <dt>{o.register.classification}</dt>
                    <dd>{l.classification_code ?? '–'}</dd>
                    <dt>{t.letter.addressee}</dt>
                    <dd>{l.addressee ?? '–'}</dd>
                    <dt>{t.letter.sifat}</dt>
                    <dd>{t.sifat[l.sifat ?? 'biasa']}</dd>
                    <dt>{t.letter.urgensi}</dt>
                    <dd>{t.urgensi[l.urgensi ?? 'biasa']}</dd>
                    <dt>{t.letter.received}</dt>
                    <dd>{date(l.received_on)}</dd>
                  </dl>
                  {l.status === 'registered' && (
                    <p class="actions">
                      <a class="button" href={`/surat/${l.letter_id}`}>
                        {t.letter.openPdf}
                      </a>
                    </p>
                  )}
                </section>
                {(l.status === 'needs_metadata' || editing) && (
                  <section class="card" aria-labelledby="complete-h" data-testid="complete-letter">
                    <h2 id="complete-h">{l.status === 'needs_metadata' ? o.register.complete : o.register.correct}</h2>
                    {l.status === 'needs_metadata' && <p class="hint">{o.register.completeLead}</p>}
                    <LetterForm
                      key={l.updated_at}
                      initial={valuesOf(l)}
                      submit={o.register.save}
                      onSubmit={async (values) => {
                        await ok(
                          api.PATCH('/letters/{letter_id}', {
                            params: { path: { letter_id: letterId } },
                            body: letterBody(values),
                          }),
                        );
                        setEditing(false);
                        setSaved(true);
                        await reload.current();
                      }}
                    />
                  </section>
                )}
                {saved && (
                  <p class="notice" role="status">
                    {o.register.saved}
                  </p>
                )}
                {l.status !== 'needs_metadata' && !editing && (
                  <p class="actions">
                    <button type="button" class="button" onClick={() => setEditing(true)}>
                      {o.register.correct}
                    </button>
                  </p>
                )}
                <section class="card" aria-labelledby="intake-h">
                  <h2 id="intake-h">{o.intake.title}</h2>
                  {state && <IntakeNote state={state} slow={Boolean(tooLong)} />}
                  <UploadBox
                    id="scan"
                    label={(l.files ?? []).length > 0 ? o.upload.newForm : o.register.scan}
                    accept="application/pdf,image/jpeg,image/png,image/tiff"
                    online={online}
                    getForm={() =>
                      ok(api.POST('/letters/{letter_id}/uploads', { params: { path: { letter_id: letterId } } }))
                    }
                    onSent={() => {
                      setSince(baselineOf(letter.data, history.data));
                      setSentAt(Date.now());
                      void reload.current();
                    }}
                  />
                </section>
                <section class="card" aria-labelledby="history-h">
                  <h2 id="history-h">{o.history.title}</h2>
                  <History entries={history.data ?? []} />
                </section>
              </div>
              <div>
                {cover ? (
                  <CoverSheet letterId={l.letter_id} agenda={agenda} />
                ) : (
                  <section class="card no-print">
                    <h2>{o.cover.title}</h2>
                    <p class="hint">{o.cover.lead}</p>
                    <button type="button" class="button primary" onClick={() => setCover(true)} data-testid="open-cover">
                      {o.cover.open}
                    </button>
                  </section>
                )}
              </div>
            </div>
          </>
        )}
      </Loading>
    </section>
  );
}

function IntakeNote({ state, slow }: { state: IntakeState; slow: boolean }) {
  switch (state.kind) {
    case 'awaiting':
      return <p class="hint" data-testid="intake">{o.intake.waiting}</p>;
    case 'checking':
      return (
        <p class="hint" role="status" aria-live="polite" data-testid="intake">
          {slow ? o.intake.slow : o.intake.checking}
        </p>
      );
    case 'accepted':
      return (
        <p class="notice" role="status" data-testid="intake">
          {o.intake.done} {o.intake.pages(state.pages)}, {state.hasText ? o.intake.text : o.intake.noText}.
        </p>
      );
    case 'refused':
      return (
        <div class="problem" role="alert" data-testid="intake">
          <p>
            <strong>{o.intake.refused}</strong>: {o.reason[state.reason] ?? state.reason}.
          </p>
        </div>
      );
  }
}
