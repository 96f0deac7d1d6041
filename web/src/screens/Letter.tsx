// A letter: its metadata, its PDF (pdf.js), the disposition tree with read receipts, its
// history; and, opened from the inbox (?tugas=...), the user's assignment with what he may do.
// Everything shown is kept on the device (the PDF's bytes too) for reading offline.

import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import {
  ApiError,
  NetworkError,
  ok,
  type Assignment,
  type DispositionNode,
  type DispositionSettings,
  type DispositionTree,
  type HistoryEntry,
  type Letter,
} from '../api/client';
import { useApp } from '../app/context';
import { useKept } from '../app/useKept';
import { keep, kept, openedPdf } from '../offline/cache';
import { date, dateTime } from '../lib/format';
import { letterOffers } from '../lib/permissions';
import { t } from '../strings';
import { AssignmentBadges, KeptNote, Loading, ProblemNote, UrgensiBadge } from '../ui/bits';
import { PdfView } from '../ui/PdfView';
import { AssignmentPanel } from './AssignmentPanel';

export function LetterScreen() {
  const { params, query } = useRoute();
  const letterId = params['letterId'] ?? '';
  const assignmentId = query['tugas'];
  const { api, user, me } = useApp();
  const letter = useKept<Letter>(`${user}:letter:${letterId}`, () =>
    ok(api.GET('/letters/{letter_id}', { params: { path: { letter_id: letterId } } })),
  );
  const tree = useKept<DispositionTree>(`${user}:tree:${letterId}`, () =>
    ok(api.GET('/letters/{letter_id}/dispositions', { params: { path: { letter_id: letterId } } })),
  );
  const history = useKept<HistoryEntry[]>(`${user}:history:${letterId}`, () =>
    ok(api.GET('/letters/{letter_id}/history', { params: { path: { letter_id: letterId } } })),
  );
  const assignment = useKept<Assignment>(
    assignmentId ? `${user}:assignment:${letterId}:${assignmentId}` : null,
    () =>
      ok(
        api.GET('/letters/{letter_id}/assignments/{assignment_id}', {
          params: { path: { letter_id: letterId, assignment_id: assignmentId ?? '' } },
        }),
      ),
  );
  const settings = useKept<DispositionSettings>(`${user}:settings`, () => ok(api.GET('/dispositions/settings')));
  const labels = instructionLabels(settings.data);

  const l = letter.data;
  const offers = l && me ? letterOffers(l, me) : null;
  const refreshAll = async () => {
    await Promise.all([letter.reload(), tree.reload(), history.reload(), assignment.reload()]);
  };

  return (
    <section class="screen">
      <p>
        <a class="back" href="/">← {t.back}</a>
      </p>
      <ProblemNote error={!l && !assignment.data ? letter.error : undefined} />
      {!l && !letter.loading && assignment.data && (
        // A Plt./Plh. may act on the absent head's assignment of a letter he may not read
        // himself (another unit's letter): the assignment, without the letter.
        <>
          <h1>{assignment.data.letter.subject ?? assignment.data.letter.agenda_label}</h1>
          <AssignmentPanel a={assignment.data} labels={labels} onChanged={() => void refreshAll()} />
        </>
      )}
      <Loading when={letter.loading && !l}>
        {l && (
          <>
            <div class="screen-head">
              <h1>{l.subject ?? t.letter.title}</h1>
            </div>
            <KeptNote savedAt={letter.savedAt} fromDevice={letter.fromDevice} />
            <div class="two-col">
              <div>
                <LetterMeta l={l} />
                {assignment.data && (
                  <AssignmentPanel
                    a={assignment.data}
                    labels={labels}
                    onChanged={() => void refreshAll()}
                  />
                )}
                {offers?.dispose && !assignment.data && (
                  <p class="actions">
                    <a class="button primary big" href={`/surat/${l.letter_id}/disposisi`}>
                      {t.letter.dispose}
                    </a>
                  </p>
                )}
                <section class="card" aria-labelledby="tree-h">
                  <h2 id="tree-h">{t.letter.tree}</h2>
                  <KeptNote savedAt={tree.savedAt} fromDevice={tree.fromDevice} />
                  {tree.data && tree.data.roots.length > 0 ? (
                    <Tree nodes={tree.data.roots} labels={labels} root />
                  ) : (
                    <p class="empty">{t.letter.treeEmpty}</p>
                  )}
                </section>
              </div>
              <div>
                <section class="card" aria-labelledby="pdf-h">
                  <h2 id="pdf-h">{t.letter.pdf}</h2>
                  {offers?.file || (l.files ?? []).length > 0 ? (
                    <LetterPdf letter={l} />
                  ) : (
                    <p class="empty">{t.letter.noFile}</p>
                  )}
                </section>
                <section class="card" aria-labelledby="history-h">
                  <h2 id="history-h">{t.letter.history}</h2>
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

function LetterMeta({ l }: { l: Letter }) {
  return (
    <section class="card" aria-label={t.letter.title}>
      <div class="badges">
        <UrgensiBadge urgensi={l.urgensi} />
        {l.sifat && l.sifat !== 'biasa' && <span class="badge">{t.sifat[l.sifat]}</span>}
      </div>
      <dl class="meta">
        <dt>{t.letter.number}</dt>
        <dd>{l.sender_number ?? '–'}</dd>
        <dt>{t.letter.date}</dt>
        <dd>{date(l.sender_date)}</dd>
        <dt>{t.letter.subject}</dt>
        <dd>{l.subject ?? '–'}</dd>
        <dt>{t.letter.sender}</dt>
        <dd>{[l.sender_name, l.sender_agency].filter(Boolean).join(', ') || '–'}</dd>
        <dt>{t.letter.sifat}</dt>
        <dd>{t.sifat[l.sifat ?? 'biasa']}</dd>
        <dt>{t.letter.urgensi}</dt>
        <dd>{t.urgensi[l.urgensi ?? 'biasa']}</dd>
        <dt>{t.letter.agenda}</dt>
        <dd>
          {l.agenda_number}/{l.agenda_year}
        </dd>
        <dt>{t.letter.received}</dt>
        <dd>{date(l.received_on)}</dd>
        {l.addressee && (
          <>
            <dt>{t.letter.addressee}</dt>
            <dd>{l.addressee}</dd>
          </>
        )}
        {l.summary && (
          <>
            <dt>{t.letter.summary}</dt>
            <dd>{l.summary}</dd>
          </>
        )}
        <dt>{t.letter.attachments}</dt>
        <dd>{l.attachment_count ?? 0}</dd>
      </dl>
    </section>
  );
}

/** The PDF's bytes: from the device when kept (same file), else through the download link. */
function LetterPdf({ letter }: { letter: Letter }) {
  const { api, user } = useApp();
  const file = (letter.files ?? []).at(-1);
  const key = `${user}:pdf:${letter.letter_id}:${file?.sha256 ?? ''}`;
  const [bytes, setBytes] = useState<ArrayBuffer | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let cancelled = false;
    setBytes(null);
    setError(null);
    void (async () => {
      const copy = await kept<ArrayBuffer>(key).catch(() => undefined);
      if (copy) {
        void openedPdf(user, key).catch(() => undefined);
        if (!cancelled) setBytes(copy.value);
        return;
      }
      try {
        const link = await ok(
          api.GET('/letters/{letter_id}/file', { params: { path: { letter_id: letter.letter_id } } }),
        );
        let answer: Response;
        try {
          answer = await fetch(link.url);
        } catch (e) {
          throw new NetworkError(String(e));
        }
        if (!answer.ok) throw new ApiError(answer.status, null);
        const data = await answer.arrayBuffer();
        await keep(key, data).catch(() => undefined);
        await openedPdf(user, key).catch(() => undefined);
        if (!cancelled) setBytes(data);
      } catch (e) {
        if (!cancelled) setError(e);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [key]);
  if (error) return <p class="problem">{error instanceof NetworkError ? t.letter.pdfOffline : String(error)}</p>;
  if (!bytes) return <p class="loading">{t.loading}</p>;
  return <PdfView bytes={bytes} title={letter.subject ?? t.letter.pdf} />;
}

export function instructionLabels(settings: DispositionSettings | undefined): Record<string, string> {
  return Object.fromEntries((settings?.instructions ?? []).map((i) => [i.code, i.label]));
}

function Tree({ nodes, labels, root }: { nodes: DispositionNode[]; labels: Record<string, string>; root?: boolean }) {
  return (
    <ul class="tree" data-testid={root ? 'tree' : undefined}>
      {nodes.map((n) => (
        <li key={n.assignment.assignment_id} class="node">
          <Node a={n.assignment} labels={labels} />
          {n.children && n.children.length > 0 && <Tree nodes={n.children} labels={labels} />}
        </li>
      ))}
    </ul>
  );
}

function Node({ a, labels }: { a: Assignment; labels: Record<string, string> }) {
  const capacity = a.acted_as && a.acted_as !== 'self' ? t.capacity[a.acted_as] : '';
  return (
    <div data-testid="tree-node" data-recipient={a.recipient_nip}>
      <div class="node-head">
        <span class="node-name">{a.recipient_name}</span>
        <AssignmentBadges a={a} />
        {capacity && <span class="badge capacity">{capacity}</span>}
      </div>
      <div class="node-meta">
        {a.read_at ? (
          <span class="receipt read" data-testid="receipt">
            {t.letter.readAt(dateTime(a.read_at))}
          </span>
        ) : (
          <span class="receipt unread" data-testid="receipt">
            {t.letter.notRead}
          </span>
        )}
        {a.deadline && (
          <>
            {' · '}
            {t.inbox.deadline}: {dateTime(a.deadline)}
          </>
        )}
      </div>
      {a.instructions.length > 0 && (
        <div class="node-meta">{a.instructions.map((c) => labels[c] ?? c).join(', ')}</div>
      )}
      {a.note && <div class="node-meta">“{a.note}”</div>}
      {a.report && (
        <div class="node-meta">
          {t.assignments.reportText}: {a.report}
        </div>
      )}
      {a.return_reason && (
        <div class="node-meta">
          {t.assignments.returnReason}: {a.return_reason}
        </div>
      )}
    </div>
  );
}

const ACTIONS: Record<string, string> = {
  registered: 'Didaftarkan',
  corrected: 'Data surat diperbaiki',
  file_attached: 'Berkas dilampirkan',
  disposed: 'Didisposisikan',
  forwarded: 'Diteruskan',
  disposition_prepared: 'Disposisi disiapkan TU',
  prepared_disposition_edited: 'Disposisi siapan diubah',
  prepared_disposition_discarded: 'Disposisi siapan dibuang',
  prepared_disposition_approved: 'Disposisi siapan disetujui',
  assignment_read: 'Dibaca',
  assignment_in_progress: 'Mulai dikerjakan',
  assignment_started: 'Mulai dikerjakan',
  assignment_done: 'Selesai dilaporkan',
  assignment_completed: 'Selesai dilaporkan',
  assignment_returned: 'Dikembalikan',
  assignment_cancelled: 'Ditarik kembali',
  assignment_overdue: 'Melewati batas waktu',
  assignment_reminded: 'Pengingat dikirim',
  assignment_escalated: 'Dilaporkan ke atasan (eskalasi)',
};

function History({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p class="empty">–</p>;
  return (
    <ol class="history">
      {entries.map((e, i) => (
        <li key={i}>
          <time dateTime={e.at}>{dateTime(e.at)}</time>
          {ACTIONS[e.action] ?? e.action.replace(/_/g, ' ')}
          {e.details && typeof e.details['acted_as'] === 'string' && e.details['acted_as'] !== 'self' && (
            <span class="badge capacity">{t.capacity[e.details['acted_as'] as 'plt' | 'plh']}</span>
          )}
        </li>
      ))}
    </ol>
  );
}
