// The offline queue: order, retry after a network error with the same Idempotency-Key, a stop
// (never a silent drop) on a refusal, one flush at a time, per user.
import { describe, expect, it } from 'vitest';
import { idbStorage, memoryStorage, Queue, type Outcome, type QueuedAction } from '../src/offline/queue';

let n = 0;
const ids = () => `id-${++n}`;

function entry(label: string, user = 'bupati') {
  return { kind: 'dispose' as const, user, label, letterId: `L-${label}`, params: {}, body: { label } };
}

describe('queue', () => {
  it('sends in the order queued and empties', async () => {
    const q = new Queue(memoryStorage(), ids);
    await q.add(entry('a'));
    await q.add(entry('b'));
    await q.add(entry('c'));
    const sent: string[] = [];
    const result = await q.flush('bupati', async (a) => {
      sent.push(a.label);
      return { kind: 'sent', data: a.label };
    });
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(result.sent.map((s) => s.data)).toEqual(['a', 'b', 'c']);
    expect(await q.list()).toEqual([]);
  });

  it('keeps the rest after a network error and resends with the same key', async () => {
    const q = new Queue(memoryStorage(), ids);
    const first = await q.add(entry('a'));
    await q.add(entry('b'));
    const keys: string[] = [];
    let online = false;
    const send = async (a: QueuedAction): Promise<Outcome> => {
      keys.push(a.key);
      return online ? { kind: 'sent', data: null } : { kind: 'network' };
    };
    const offline = await q.flush('bupati', send);
    expect(offline.offline).toBe(true);
    expect((await q.list()).map((a) => a.label)).toEqual(['a', 'b']);
    expect((await q.list())[0]!.attempts).toBe(1);
    online = true;
    await q.flush('bupati', send);
    expect(keys).toEqual([first.key, first.key, expect.any(String)]);
    expect(keys[2]).not.toBe(first.key);
    expect(await q.list()).toEqual([]);
  });

  it('a thrown error counts as a network error, not a refusal', async () => {
    const q = new Queue(memoryStorage(), ids);
    await q.add(entry('a'));
    const result = await q.flush('bupati', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(result.offline).toBe(true);
    expect((await q.list())[0]!.state).toBe('waiting');
  });

  it('stops at a refusal, keeps it with the server message, and goes on once dismissed', async () => {
    const q = new Queue(memoryStorage(), ids);
    await q.add(entry('a'));
    const refusedOne = await q.add(entry('b'));
    await q.add(entry('c'));
    const sent: string[] = [];
    const send = async (a: QueuedAction): Promise<Outcome> => {
      sent.push(a.label);
      if (a.label === 'b')
        return { kind: 'refused', status: 409, code: 'invalid_transition', detail: 'the assignment is done' };
      return { kind: 'sent', data: null };
    };
    const result = await q.flush('bupati', send);
    expect(sent).toEqual(['a', 'b']);
    expect(result.refused?.id).toBe(refusedOne.id);
    const left = await q.list();
    expect(left.map((a) => [a.label, a.state])).toEqual([
      ['b', 'refused'],
      ['c', 'waiting'],
    ]);
    expect(left[0]!.problem).toEqual({ status: 409, code: 'invalid_transition', detail: 'the assignment is done' });
    // Until the user has seen it, nothing after it goes.
    await q.flush('bupati', send);
    expect(sent).toEqual(['a', 'b']);
    await q.dismiss(refusedOne.id);
    await q.flush('bupati', send);
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(await q.list()).toEqual([]);
  });

  it('sends each action once when flushes overlap', async () => {
    const q = new Queue(memoryStorage(), ids);
    await q.add(entry('a'));
    await q.add(entry('b'));
    const sent: string[] = [];
    const send = async (a: QueuedAction): Promise<Outcome> => {
      sent.push(a.label);
      await new Promise((r) => setTimeout(r, 5));
      return { kind: 'sent', data: null };
    };
    await Promise.all([q.flush('bupati', send), q.flush('bupati', send), q.flush('bupati', send)]);
    expect(sent).toEqual(['a', 'b']);
  });

  it('keeps an action queued while a flush drains (IndexedDB, one transaction per change)', async () => {
    const q = new Queue(idbStorage(), ids);
    await q.add(entry('a'));
    await q.add(entry('b'));
    const sent: string[] = [];
    const send = async (a: QueuedAction): Promise<Outcome> => {
      sent.push(a.label);
      await new Promise((r) => setTimeout(r, 1));
      return { kind: 'sent', data: null };
    };
    // Adds racing every step of the flush (the attempt count, the removal after sending).
    const flushing = q.flush('bupati', send);
    const adds = Promise.all([q.add(entry('c')), q.add(entry('d'))]);
    await Promise.all([flushing, adds]);
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all([q.flush('bupati', send), q.add(entry('e'))]);
    await q.flush('bupati', send);
    expect(sent.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await q.list()).toEqual([]);
  });

  it("sends only the signed-in user's actions", async () => {
    const q = new Queue(memoryStorage(), ids);
    await q.add(entry('mine', 'bupati'));
    await q.add(entry('theirs', 'sekda'));
    const sent: string[] = [];
    await q.flush('bupati', async (a) => {
      sent.push(a.label);
      return { kind: 'sent', data: null };
    });
    expect(sent).toEqual(['mine']);
    expect((await q.list()).map((a) => a.label)).toEqual(['theirs']);
  });

  it('survives a restart: what is stored is sent by a new queue', async () => {
    const storage = memoryStorage();
    const before = await new Queue(storage, ids).add(entry('a'));
    const after = new Queue(storage, ids);
    const keys: string[] = [];
    await after.flush('bupati', async (a) => {
      keys.push(a.key);
      return { kind: 'sent', data: null };
    });
    expect(keys).toEqual([before.key]);
  });

  it('tells its subscribers', async () => {
    const q = new Queue(memoryStorage(), ids);
    const seen: number[] = [];
    q.subscribe((all) => seen.push(all.length));
    await q.add(entry('a'));
    await q.flush('bupati', async () => ({ kind: 'sent', data: null }));
    expect(seen.at(0)).toBe(1);
    expect(seen.at(-1)).toBe(0);
  });
});
