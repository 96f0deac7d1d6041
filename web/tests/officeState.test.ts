// Where a scan stands after the intake (attached, refused and why, still being checked), and
// which outgoing buttons a user sees (paraf, sign, upload) by whose turn it is.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Letter, Me } from '../src/api/client';
import { baselineOf, intakeState } from '../src/lib/intake';
import { nextSigner, outgoingOffers, turnOf, type Outgoing } from '../src/lib/outgoing';

const letter = (files: number): Letter =>
  ({
    letter_id: 'l-1',
    status: files ? 'registered' : 'awaiting_file',
    files: Array.from({ length: files }, (_, i) => ({
      file_id: `f-${i}`,
      pages: 2,
      has_text: true,
      media_type: 'application/pdf',
      size: 10,
      sha256: 'x',
      attached_at: '2026-12-07T01:00:00Z',
      source: 'api',
    })),
  }) as unknown as Letter;
const rejected = (reason: string, at = '2026-12-07T01:00:00Z'): HistoryEntry => ({
  at,
  action: 'file_rejected',
  actor_nip: null,
  details: { reason, detail: `refused: ${reason}`, key: 'uploads/l-1/u-1' },
});

describe('intake state', () => {
  it('waits for a file, then checks it, then says what became of it', () => {
    expect(intakeState(letter(0), [], null)).toEqual({ kind: 'awaiting' });
    const since = baselineOf(letter(0), []);
    expect(intakeState(letter(0), [], since)).toEqual({ kind: 'checking' });
    expect(intakeState(letter(1), [], since)).toEqual({ kind: 'accepted', pages: 2, hasText: true });
    expect(intakeState(letter(0), [rejected('active_content')], since)).toMatchObject({
      kind: 'refused',
      reason: 'active_content',
      detail: 'refused: active_content',
    });
  });

  it('an older refusal is not the answer to a new upload', () => {
    const history = [rejected('encrypted')];
    const since = baselineOf(letter(0), history);
    expect(intakeState(letter(0), history, since)).toEqual({ kind: 'checking' });
    expect(intakeState(letter(0), [...history, rejected('duplicate', '2026-12-07T02:00:00Z')], since)).toMatchObject({
      kind: 'refused',
      reason: 'duplicate',
    });
    // Opened later, with no upload from this device: the last refusal is shown.
    expect(intakeState(letter(0), history, null)).toMatchObject({ kind: 'refused', reason: 'encrypted' });
  });
});

const AUTHOR = '199001012015011001';
const REVIEWER = '198807192011012006';
const SIGNER = '197503082002121003';
const PLT = '198001012005011001';

const me = (nip: string, actingFor: string[] = []): Me =>
  ({
    employee: { nip },
    roles: ['staff'],
    acting: [],
    acting_for: actingFor.map((n) => ({ nip: n, capacity: 'plt' })),
  }) as unknown as Me;

const draft = (over: Record<string, unknown>): Outgoing =>
  ({
    outgoing_id: 'o-1',
    author_nip: AUTHOR,
    status: 'in_review',
    versions: [{ version: 1 }, { version: 2 }],
    reviews: [{ order: 1, nip: REVIEWER, name: 'TU', status: 'pending' }],
    signers: [{ order: 1, nip: SIGNER, name: 'Kadis', position: 'Kepala' }],
    signatures: [],
    ...over,
  }) as unknown as Outgoing;

describe('outgoing offers', () => {
  it("offers the paraf to the reviewer whose turn it is, and to nobody else", () => {
    const d = draft({});
    expect(turnOf(d)).toBe(REVIEWER);
    expect(outgoingOffers(d, me(REVIEWER))).toMatchObject({ review: true, sign: false, as: REVIEWER });
    expect(outgoingOffers(d, me(SIGNER))).toMatchObject({ review: false, sign: false });
    expect(outgoingOffers(d, me(AUTHOR))).toMatchObject({ review: false, upload: true });
  });

  it('offers signing to the next signer or his Plt., once every paraf is given', () => {
    const d = draft({
      status: 'ready_to_sign',
      reviews: [{ order: 1, nip: REVIEWER, name: 'TU', status: 'approved', version: 2 }],
    });
    expect(outgoingOffers(d, me(SIGNER))).toMatchObject({ sign: true, as: SIGNER });
    expect(outgoingOffers(d, me(PLT, [SIGNER]))).toMatchObject({ sign: true, as: SIGNER });
    expect(outgoingOffers(d, me(REVIEWER)).sign).toBe(false);
    expect(outgoingOffers(d, me(AUTHOR)).upload).toBe(false);
  });

  it('after a signature the next signer signs; an unknown BSrE outcome blocks signing', () => {
    const two = draft({
      status: 'signing',
      signers: [
        { order: 1, nip: SIGNER, name: 'Kadis', position: 'Kepala' },
        { order: 2, nip: PLT, name: 'Sekda', position: 'Sekretaris Daerah' },
      ],
      signatures: [{ order: 1, capacity: 'self' }],
    } as never);
    expect(nextSigner(two)?.nip).toBe(PLT);
    expect(outgoingOffers(two, me(PLT)).sign).toBe(true);
    const stuck = { ...two, signing_claim: { by_nip: PLT, at: 'x', outcome_unknown: true } } as Outgoing;
    expect(outgoingOffers(stuck, me(PLT)).sign).toBe(false);
  });

  it('a signed letter offers its download', () => {
    expect(outgoingOffers(draft({ status: 'signed', reviews: [] }), me(AUTHOR))).toMatchObject({ download: true, sign: false, review: false });
  });
});
