// While an action waits after an answer that says "later" (5xx, 429, in progress), the queue is
// tried again on a back-off timer without any online event; act() says the true reason.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeApi } from '../src/api/client';
import { act } from '../src/app/actions';
import { memoryStorage, Queue, type Outcome, type QueuedAction } from '../src/offline/queue';
import { backoff, Retrier } from '../src/offline/retry';
import { t } from '../src/strings';

function entry(label: string, user = 'bupati') {
  return { kind: 'dispose' as const, user, label, letterId: `L-${label}`, params: {}, body: { label } };
}

describe('retry', () => {
  afterEach(() => vi.useRealTimers());

  it('backs off from 5 s, doubling, to at most 5 min', () => {
    expect([0, 1, 2, 3, 10, 30].map(backoff)).toEqual([5_000, 10_000, 20_000, 40_000, 300_000, 300_000]);
  });

  it('tries again on its own while the server says "later", until it is sent', async () => {
    vi.useFakeTimers();
    const queue = new Queue(memoryStorage());
    const answers: Outcome[] = [
      { kind: 'network', status: 503 },
      { kind: 'network', status: 409, code: 'idempotency_in_progress' },
      { kind: 'sent', data: null },
    ];
    const tries: number[] = [];
    const send = async (a: QueuedAction): Promise<Outcome> => {
      tries.push(a.attempts);
      return answers.shift()!;
    };
    const retrier = new Retrier(() => void queue.flush('bupati', send));
    queue.onFlushed((_user, result) => retrier.after(result));
    await queue.add(entry('a'));
    await queue.flush('bupati', send);
    expect(tries).toEqual([1]);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(tries).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(tries).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(tries).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1);
    expect(tries).toEqual([1, 2, 3]);
    expect(await queue.list()).toEqual([]);
    expect(retrier.scheduled).toBe(false);
  });

  it('says an earlier refusal blocks the queue, not "offline"', async () => {
    const queue = new Queue(memoryStorage());
    await queue.add(entry('old'));
    await queue.flush('bupati', async () => ({ kind: 'refused', status: 409, code: 'invalid_transition', detail: 'x' }));
    globalThis.fetch = (async () => new Response('{}', { status: 201, headers: { 'content-type': 'application/json' } })) as typeof fetch;
    const result = await act(queue, makeApi('http://api.test', async () => 'token'), entry('new'));
    expect(result.kind).toBe('queued');
    expect(result.kind === 'queued' && result.message).toBe(t.waitingBlocked);
  });

  it('says the server is busy when it answered 503', async () => {
    const queue = new Queue(memoryStorage());
    globalThis.fetch = (async () =>
      new Response('{"code":"unavailable"}', { status: 503, headers: { 'content-type': 'application/problem+json' } })) as typeof fetch;
    const result = await act(queue, makeApi('http://api.test', async () => 'token'), entry('a'));
    expect(result.kind === 'queued' && result.message).toBe(t.waitingServer);
  });

  it('sends an action whose joined flush had already passed it', async () => {
    const queue = new Queue(memoryStorage());
    await queue.add(entry('first'));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const draining = queue.flush('bupati', async () => {
      await gate;
      return { kind: 'sent', data: null };
    });
    globalThis.fetch = (async () => new Response('{"ok":1}', { status: 201, headers: { 'content-type': 'application/json' } })) as typeof fetch;
    const acting = act(queue, makeApi('http://api.test', async () => 'token'), entry('second'));
    await new Promise((r) => setTimeout(r, 5));
    release();
    await draining;
    const result = await acting;
    expect(result.kind).toBe('sent');
  });
});

describe('a 401 while actions wait', () => {
  it('renews the session and sends at once; asks to sign in again when renewal fails', async () => {
    const { keepSending } = await import('../src/offline/retry');
    const queue = new Queue(memoryStorage());
    await queue.add(entry('a'));
    const answers: Outcome[] = [
      { kind: 'network', status: 401 },
      { kind: 'sent', data: null },
    ];
    const send = async (): Promise<Outcome> => answers.shift() ?? { kind: 'network', status: 401 };
    const session = { renew: vi.fn(async () => ({ id_token: 'new' })), signIn: vi.fn(async () => undefined) };
    let flushes = Promise.resolve();
    const stop = keepSending(queue, 'bupati', () => {
      flushes = queue.flush('bupati', send).then(() => undefined);
    }, session);
    await queue.flush('bupati', send);
    await new Promise((r) => setTimeout(r, 5));
    await flushes;
    expect(session.renew).toHaveBeenCalledOnce();
    expect(await queue.list()).toEqual([]);
    expect(session.signIn).not.toHaveBeenCalled();

    // Renewal fails (refresh token revoked): sign in again, the action stays queued.
    await queue.add(entry('b'));
    session.renew.mockResolvedValueOnce(null as never);
    await new Promise((r) => setTimeout(r, 0));
    await queue.flush('bupati', async () => ({ kind: 'network', status: 401 }));
    await new Promise((r) => setTimeout(r, 5));
    expect(session.signIn).toHaveBeenCalledOnce();
    expect((await queue.list()).map((a) => a.label)).toEqual(['b']);
    stop();
  });
});
