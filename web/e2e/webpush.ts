// The browser's part of web push that headless Chromium cannot do here, in Node: a subscription's
// keys (a P-256 pair and a 16-octet auth secret, what PushManager.subscribe makes) and the
// decryption of what the push service holds for it (RFC 8291 over RFC 8188's aes128gcm).
// Written from the RFCs with node:crypto, not with a web-push library: decrypting with the code
// that encrypted would pass with both wrong in the same way. tests/webpush.test.ts checks it on
// RFC 8291's own example (Appendix A).
import { createDecipheriv, createECDH, hkdfSync, randomBytes, type ECDH } from 'node:crypto';

const HEADER_FIXED = 16 + 4 + 1; // salt, record size, key id length (RFC 8188 section 2.1)
const TAG = 16;

export function b64url(data: Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

export function unb64url(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

export interface BrowserKeys {
  ecdh: ECDH;
  /** The uncompressed point the subscription gives as `p256dh`. */
  publicKey: Buffer;
  auth: Buffer;
}

/** New keys, or those of `privateKey` (raw 32 octets) and `auth` (RFC 8291's example). */
export function browserKeys(privateKey?: Buffer, auth?: Buffer): BrowserKeys {
  const ecdh = createECDH('prime256v1');
  if (privateKey) ecdh.setPrivateKey(privateKey);
  else ecdh.generateKeys();
  return { ecdh, publicKey: ecdh.getPublicKey(), auth: auth ?? randomBytes(16) };
}

function hkdf(salt: Buffer, ikm: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** The plaintext of an aes128gcm message for `keys`; throws on a wrong key or a changed octet. */
export function decrypt(keys: BrowserKeys, body: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const keyIdLength = body[20] ?? 0;
  if (keyIdLength !== 65 || recordSize < TAG + 2) throw new Error("RFC 8291: the key id is the sender's 65-octet public key");
  const sender = body.subarray(HEADER_FIXED, HEADER_FIXED + keyIdLength);
  const shared = keys.ecdh.computeSecret(sender);
  // RFC 8291 section 3.4: the auth secret and both public keys go into the input key.
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.publicKey, sender]);
  const ikm = hkdf(keys.auth, shared, keyInfo, 32);
  // RFC 8188 sections 2.2 and 2.3: the content key and the nonce, from the salt.
  const cek = hkdf(salt, ikm, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonce = hkdf(salt, ikm, Buffer.from('Content-Encoding: nonce\0'), 12);
  return records(body.subarray(HEADER_FIXED + keyIdLength), recordSize, cek, nonce);
}

/** RFC 8188 section 2: records of `recordSize` octets, each nonce the base nonce XOR its
 * sequence number; a record's plaintext ends with a delimiter (2 for the last, 1 before) and
 * zero padding. */
function records(ciphertext: Buffer, recordSize: number, cek: Buffer, nonce: Buffer): Buffer {
  const plain: Buffer[] = [];
  const count = Math.ceil(ciphertext.length / recordSize);
  for (let sequence = 0; sequence < count; sequence++) {
    const chunk = ciphertext.subarray(sequence * recordSize, (sequence + 1) * recordSize);
    const iv = Buffer.from(nonce);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ sequence) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, iv);
    decipher.setAuthTag(chunk.subarray(chunk.length - TAG));
    const record = Buffer.concat([decipher.update(chunk.subarray(0, chunk.length - TAG)), decipher.final()]);
    let end = record.length;
    while (end > 0 && record[end - 1] === 0) end--;
    if (end === 0 || record[end - 1] !== (sequence === count - 1 ? 2 : 1)) throw new Error('RFC 8188: bad padding delimiter');
    plain.push(record.subarray(0, end - 1));
  }
  return Buffer.concat(plain);
}
