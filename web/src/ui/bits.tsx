// Small pieces every screen uses: badges, the age of kept data, problems, loading.

import type { ComponentChildren } from 'preact';
import { NetworkError, type Assignment, type Urgensi } from '../api/client';
import { ago } from '../lib/format';
import { t } from '../strings';
import { errorWords } from '../lib/problems';
import type { KeptState } from '../app/useKept';

export function UrgensiBadge({ urgensi }: { urgensi: Urgensi | undefined }) {
  if (!urgensi || urgensi === 'biasa') return null;
  return <span class={`badge urgent ${urgensi}`}>{t.urgensi[urgensi]}</span>;
}

export function AssignmentBadges({ a }: { a: Assignment }) {
  return (
    <span class="badges">
      {a.status === 'sent' && <span class="badge unread">{t.inbox.unread}</span>}
      {a.overdue && <span class="badge overdue">{t.inbox.overdue}</span>}
      <UrgensiBadge urgensi={a.letter.urgensi} />
      {a.kind === 'tembusan' && <span class="badge quiet">{t.inbox.tembusan}</span>}
      {a.status && a.status !== 'sent' && (
        <span class={`badge status ${a.status}`}>{t.status[a.status]}</span>
      )}
    </span>
  );
}

/** "disimpan 3 jam lalu" when what is shown comes from the device. */
export function KeptNote({ savedAt, fromDevice }: { savedAt: number | undefined; fromDevice: boolean }) {
  if (!fromDevice || savedAt === undefined) return null;
  return (
    <p class="kept" data-testid="kept-age">
      {t.savedAgo(ago(savedAt))}
    </p>
  );
}

export function ProblemNote({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof NetworkError)
    return (
      <p class="problem" role="alert">
        {t.offline}
      </p>
    );
  const text = errorWords(error);
  return (
    <p class="problem" role="alert">
      {text}
    </p>
  );
}

export function Loading({ when, children }: { when: boolean; children?: ComponentChildren }) {
  if (!when) return <>{children}</>;
  return (
    <p class="loading" aria-busy="true">
      {t.loading}
    </p>
  );
}

export function RefreshButton({ busy, onClick }: { busy: boolean; onClick: () => void }) {
  return (
    <button type="button" class="button quiet" onClick={onClick} disabled={busy}>
      {busy ? t.refreshing : t.refresh}
    </button>
  );
}

/**
 * The body of a list read with useKept: the kept copy's age, the problem when nothing could be
 * read, "Memuat" until the first answer, then the items (or the empty text). One place, so every
 * list screen behaves the same offline.
 */
export function KeptList<T>({
  kept,
  items,
  empty,
  testId,
  children,
}: {
  kept: Pick<KeptState<unknown>, 'data' | 'savedAt' | 'fromDevice' | 'loading' | 'error'>;
  items: T[];
  empty: string;
  testId: string;
  children: (item: T) => ComponentChildren;
}) {
  return (
    <>
      <KeptNote savedAt={kept.savedAt} fromDevice={kept.fromDevice} />
      <ProblemNote error={!kept.data ? kept.error : undefined} />
      <Loading when={kept.loading && !kept.data}>
        {items.length === 0 ? (
          <p class="empty">{empty}</p>
        ) : (
          <ul class="list" data-testid={testId}>
            {items.map(children)}
          </ul>
        )}
      </Loading>
    </>
  );
}
