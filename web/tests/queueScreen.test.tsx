// Antrean links a refused action to its letter: a paraf (review) to the outgoing letter.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { AppContext, type AppState } from '../src/app/context';
import { memoryStorage, Queue, type QueuedAction } from '../src/offline/queue';
import { QueueScreen } from '../src/screens/QueueScreen';

function refused(kind: QueuedAction['kind'], letterId: string): QueuedAction {
  return {
    id: `${kind}-1`,
    key: 'k',
    kind,
    user: 'sekda',
    label: kind,
    letterId,
    params: {},
    body: {},
    queuedAt: Date.UTC(2026, 11, 7),
    attempts: 1,
    state: 'refused',
    problem: { status: 409, code: 'outgoing_changed', detail: 'Berubah' },
  };
}

describe('Antrean', () => {
  const root = document.createElement('div');
  afterEach(() => render(null, root));

  it('links a paraf to /surat-keluar/{id} and a disposition to /surat/{id}', async () => {
    const state = {
      queue: new Queue(memoryStorage()),
      pending: [refused('review', 'out-9'), refused('dispose', 'L-3')],
      online: true,
      flush: async () => undefined,
    } as unknown as AppState;
    await act(() => {
      render(
        <AppContext.Provider value={state}>
          <QueueScreen />
        </AppContext.Provider>,
        root,
      );
    });
    const hrefs = Array.from(root.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['/surat-keluar/out-9', '/surat/L-3']);
  });
});
