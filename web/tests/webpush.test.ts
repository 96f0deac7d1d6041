// @vitest-environment node
// The browser test's RFC 8291 decryption (e2e/webpush.ts) on RFC 8291's own example (section 5,
// Appendix A): so when e2e/push.spec.ts decrypts what the notifications function sent, the
// decryption itself is known right.
import { describe, expect, it } from 'vitest';
import { b64url, browserKeys, decrypt, unb64url } from '../e2e/webpush';

const UA_PRIVATE = 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94';
const UA_PUBLIC = 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4';
const AUTH_SECRET = 'BTBZMqHH6r4Tts7J_aSIgg';
const BODY =
  'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS' +
  '6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qu' +
  'lcy4a-fN';

const rfcBrowser = () => browserKeys(unb64url(UA_PRIVATE), unb64url(AUTH_SECRET));

describe('RFC 8291 decryption for the browser test', () => {
  it('decrypts the RFC 8291 example to its plaintext', () => {
    const keys = rfcBrowser();
    expect(b64url(keys.publicKey)).toBe(UA_PUBLIC);
    expect(decrypt(keys, unb64url(BODY)).toString('utf8')).toBe('When I grow up, I want to be a watermelon');
  });

  it('fails on a changed octet or another auth secret', () => {
    const changed = unb64url(BODY);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 1, changed.length - 1);
    expect(() => decrypt(rfcBrowser(), changed)).toThrow();
    expect(() => decrypt(browserKeys(unb64url(UA_PRIVATE)), unb64url(BODY))).toThrow();
  });
});
