// How an API answer becomes an outcome of the queue: what is retried later with the same key,
// what is a refusal the user must see, and that the key travels as Idempotency-Key.
import { describe, expect, it } from 'vitest';
import { ApiError, makeApi } from '../src/api/client';
import { act, isRetryable, sender } from '../src/app/actions';
import { memoryStorage, Queue } from '../src/offline/queue';

function fakeFetch(answers: (Response | Error)[], seen: Request[]) {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(new Request(input, init));
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('actions', () => {
  it('retries what may succeed later, refuses what will not', () => {
    expect(isRetryable(new ApiError(503, {}))).toBe(true);
    expect(isRetryable(new ApiError(401, {}))).toBe(true);
    expect(isRetryable(new ApiError(409, { code: 'idempotency_in_progress' }))).toBe(true);
    expect(isRetryable(new ApiError(409, { code: 'invalid_transition' }))).toBe(false);
    expect(isRetryable(new ApiError(422, { code: 'idempotency_key_reused' }))).toBe(false);
    expect(isRetryable(new ApiError(403, { code: 'not_recipient' }))).toBe(false);
  });

  it('sends the key fixed at queueing on every attempt, and shows a conflict', async () => {
    const seen: Request[] = [];
    const problem = { code: 'invalid_transition', detail: 'the assignment is done', status: 409, title: 'Conflict' };
    globalThis.fetch = fakeFetch(
      [new TypeError('Failed to fetch'), json(409, problem, 'application/problem+json')],
      seen,
    ) as typeof fetch;
    const api = makeApi('http://api.test', async () => 'token');
    const queue = new Queue(memoryStorage());
    const action = {
      kind: 'start' as const,
      user: 'staf',
      label: 'x',
      letterId: 'L1',
      params: { assignment_id: 'A1' },
      body: undefined,
    };
    const first = await act(queue, api, action);
    expect(first.kind).toBe('queued');
    const result = await queue.flush('staf', sender(api));
    expect(result.refused?.problem?.detail).toBe('the assignment is done');
    expect(seen).toHaveLength(2);
    expect(seen[0]!.url).toBe('http://api.test/letters/L1/assignments/A1/start');
    expect(seen[0]!.headers.get('idempotency-key')).toBeTruthy();
    expect(seen[1]!.headers.get('idempotency-key')).toBe(seen[0]!.headers.get('idempotency-key'));
    expect(seen[1]!.headers.get('authorization')).toBe('Bearer token');
  });

  it('a refusal of an action made online is handed back, not left in the queue', async () => {
    const seen: Request[] = [];
    globalThis.fetch = fakeFetch(
      [json(403, { code: 'not_recipient', detail: 'only its recipient', status: 403, title: 'Forbidden' }, 'application/problem+json')],
      seen,
    ) as typeof fetch;
    const api = makeApi('http://api.test', async () => null);
    const queue = new Queue(memoryStorage());
    const result = await act(queue, api, {
      kind: 'dispose',
      user: 'u',
      label: 'x',
      letterId: 'L1',
      params: {},
      body: { recipients: [{ nip: '1' }], instructions: ['a'] },
    });
    expect(result.kind).toBe('refused');
    expect(await queue.list()).toEqual([]);
    expect(await seen[0]!.json()).toEqual({ recipients: [{ nip: '1' }], instructions: ['a'] });
  });
});
