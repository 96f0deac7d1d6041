import { describe, expect, it } from 'vitest';
import { applicationServerKey } from '../src/lib/push';

describe('applicationServerKey', () => {
  it('decodes the base64url VAPID key the API gives into the 65-byte point', () => {
    const point = new Uint8Array(65).map((_, i) => (i * 37 + 4) % 256);
    point[0] = 4; // uncompressed P-256 point
    const base64url = btoa(String.fromCharCode(...point)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(base64url).not.toContain('=');
    expect(Array.from(applicationServerKey(base64url))).toEqual(Array.from(point));
  });
});
