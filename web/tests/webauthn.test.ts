// WebAuthn's byte fields as base64url both ways, the creation options a platform credential
// needs, and the pool of challenges kept ahead for offline check-ins (each used once, the
// expired ones dropped).
import { describe, expect, it } from 'vitest';
import { ChallengePool, creationOptions, fromBase64url, toBase64url, type Challenge } from '../src/lib/webauthn';

describe('base64url', () => {
  it('round-trips every byte value without padding', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const text = toBase64url(bytes);
    expect(text).not.toMatch(/[+/=]/);
    expect([...fromBase64url(text)]).toEqual([...bytes]);
    expect(toBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
});

describe('creationOptions', () => {
  it('asks for a platform credential with user verification preferred', () => {
    const o = creationOptions({
      challenge: 'AAEC',
      rp: { id: 'localhost', name: 'e-Office' },
      user: { id: 'AQID', name: 'staf.kominfo', displayName: 'Ahmad' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [{ id: 'BAUG', type: 'public-key' }],
    });
    expect(o.authenticatorSelection?.authenticatorAttachment).toBe('platform');
    expect(o.authenticatorSelection?.userVerification).toBe('preferred');
    expect([...(o.challenge as Uint8Array)]).toEqual([0, 1, 2]);
    expect([...(o.user.id as Uint8Array)]).toEqual([1, 2, 3]);
    expect([...(o.excludeCredentials![0]!.id as Uint8Array)]).toEqual([4, 5, 6]);
  });
});

describe('ChallengePool', () => {
  const at = (min: number) => new Date(Date.UTC(2026, 11, 8, 0, min)).toISOString();
  const now = Date.UTC(2026, 11, 8, 0, 0);
  const c = (id: string, expiresMin: number): Challenge => ({ client_id: id, challenge: `ch-${id}`, expires_at: at(expiresMin) });

  it('gives each challenge once, drops the expired and those about to expire', () => {
    let saved: Challenge[] = [];
    const pool = new ChallengePool([c('old', -5), c('soon', 0), c('a', 30), c('b', 60)], (x) => (saved = x));
    expect(pool.take(now)?.client_id).toBe('a');
    expect(pool.take(now)?.client_id).toBe('b');
    expect(pool.take(now)).toBeNull();
    expect(saved).toEqual([]);
  });

  it('counts what is missing to keep a few ahead', () => {
    const pool = new ChallengePool([c('a', 30), c('old', -1)], () => undefined);
    expect(pool.missing(3, now)).toBe(2);
    pool.add([c('b', 30), c('c', 30)]);
    expect(pool.missing(3, now)).toBe(0);
  });
});
