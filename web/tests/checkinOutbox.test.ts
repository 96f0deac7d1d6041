// Check-ins kept offline: sent in batches of one device and clock session, at most 40, each
// client_id once; kept after a network failure; an entry leaves only when the server answered
// for it; answers kept for the screen.
import { describe, expect, it } from 'vitest';
import { BATCH_MAX, CheckInOutbox, memoryOutbox, nextBatch, type Batch, type CheckInResult, type PendingCheckIn } from '../src/offline/checkins';

let n = 0;
function entry(user = 'staf.kominfo', deviceId = 'dev-1', clockSession = 'session-7'): PendingCheckIn {
  const client_id = `client-${++n}-abcdef`;
  return {
    user,
    deviceId,
    clockSession,
    queuedAt: n,
    item: {
      kind: 'in',
      latitude: -2.6,
      longitude: 121.1,
      accuracy_m: 10,
      phone_time: '2026-12-07T23:00:00Z',
      mock_location: false,
      client_id,
      elapsed_ms: 1000 * n,
      clock_session: clockSession,
    },
  };
}

function answer(clientId: string): CheckInResult {
  return {
    client_id: clientId,
    checkin_id: `2026-12-08-${clientId}`,
    kind: 'in',
    state: 'accepted',
    received_at: '2026-12-08T00:00:00Z',
    effective_at: '2026-12-07T23:00:00Z',
    time_source: 'phone',
    message: 'Presensi masuk diterima.',
    duplicate: false,
    source: 'web',
    flags: [],
    reasons: [],
  };
}

const answering = (sent: Batch[]) => async (batch: Batch) => {
  sent.push(batch);
  return { kind: 'answered' as const, results: batch.entries.map((e) => answer(e.item.client_id)) };
};

describe('check-in outbox', () => {
  it('sends what waits in one batch and keeps the answers', async () => {
    const box = new CheckInOutbox(memoryOutbox());
    const a = entry();
    const b = entry();
    await box.add(a);
    await box.add(b);
    await box.add(a); // the same check-in twice is kept once
    const sent: Batch[] = [];
    const report = await box.flush('staf.kominfo', answering(sent));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.entries.map((e) => e.item.client_id)).toEqual([a.item.client_id, b.item.client_id]);
    expect(report.answered.map((r) => r.client_id)).toEqual([a.item.client_id, b.item.client_id]);
    const state = await box.state();
    expect(state.pending).toEqual([]);
    expect(state.answered.map((x) => x.result.client_id)).toEqual([a.item.client_id, b.item.client_id]);
    // Nothing left: a second flush sends nothing.
    await box.flush('staf.kominfo', answering(sent));
    expect(sent).toHaveLength(1);
  });

  it('keeps everything after a network failure and sends the same client ids later', async () => {
    const box = new CheckInOutbox(memoryOutbox());
    const a = entry();
    await box.add(a);
    const failed = await box.flush('staf.kominfo', async () => ({ kind: 'network' }));
    expect(failed.offline).toBe(true);
    expect((await box.state()).pending.map((p) => p.item.client_id)).toEqual([a.item.client_id]);
    const thrown = await box.flush('staf.kominfo', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(thrown.offline).toBe(true);
    const sent: Batch[] = [];
    await box.flush('staf.kominfo', answering(sent));
    expect(sent[0]!.entries[0]!.item.client_id).toBe(a.item.client_id);
  });

  it('removes only what the server answered for', async () => {
    const box = new CheckInOutbox(memoryOutbox());
    const a = entry();
    const b = entry();
    await box.add(a);
    await box.add(b);
    const report = await box.flush('staf.kominfo', async () => ({ kind: 'answered', results: [answer(a.item.client_id)] }));
    expect(report.answered).toHaveLength(1);
    expect((await box.state()).pending.map((p) => p.item.client_id)).toEqual([b.item.client_id]);
  });

  it('splits by device, clock session and the 40-item limit, and sends only the user\'s', async () => {
    const many = Array.from({ length: BATCH_MAX + 3 }, () => entry());
    expect(nextBatch(many)!.entries).toHaveLength(BATCH_MAX);
    const mixed = [entry('u', 'dev-1', 's-1'), entry('u', 'dev-1', 's-2'), entry('u', 'dev-1', 's-1')];
    expect(nextBatch(mixed)!.entries.map((e) => e.clockSession)).toEqual(['s-1', 's-1']);
    const box = new CheckInOutbox(memoryOutbox());
    for (const e of [entry('staf.kominfo', 'dev-1', 's-1'), entry('other', 'dev-9', 's-1'), entry('staf.kominfo', 'dev-1', 's-2')]) await box.add(e);
    const sent: Batch[] = [];
    await box.flush('staf.kominfo', answering(sent));
    expect(sent.map((b) => [b.deviceId, b.clockSession])).toEqual([
      ['dev-1', 's-1'],
      ['dev-1', 's-2'],
    ]);
    expect((await box.state()).pending.map((p) => p.user)).toEqual(['other']);
  });

  it('keeps a refused batch and says so', async () => {
    const box = new CheckInOutbox(memoryOutbox());
    await box.add(entry());
    const report = await box.flush('staf.kominfo', async () => ({ kind: 'refused', status: 422, code: 'validation_failed' }));
    expect(report.refused?.code).toBe('validation_failed');
    const state = await box.state();
    expect(state.pending).toHaveLength(1);
    expect(state.refused?.code).toBe('validation_failed');
  });

  it('runs one flush at a time', async () => {
    const box = new CheckInOutbox(memoryOutbox());
    await box.add(entry());
    const sent: Batch[] = [];
    const send = answering(sent);
    await Promise.all([box.flush('staf.kominfo', send), box.flush('staf.kominfo', send)]);
    expect(sent).toHaveLength(1);
  });
});
