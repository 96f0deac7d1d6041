// The phone bound by a WebAuthn platform credential (a browser cannot read Android ID): created
// once ("Daftarkan HP ini", approved by his head or an admin like today's devices), then each check-in
// carries an assertion over a server challenge tied to its client_id, so a colleague's phone
// cannot check in for him. Challenges are stateless on the server and live a while: a few are
// fetched ahead while online, so a check-in made offline is signed too.
//
// Only standard WebAuthn Level 2 calls (navigator.credentials.create/get with ArrayBuffers):
// Chrome on Android and Safari on iOS 16+ both have them; the JSON helpers of Level 3
// (parseCreationOptionsFromJSON, toJSON) are not used, Safari lacked them for long.

export function toBase64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let text = '';
  for (const b of view) text += String.fromCharCode(b);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64url(value: string): Uint8Array<ArrayBuffer> {
  const b64 = value.replaceAll('-', '+').replaceAll('_', '/');
  const text = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Whether this browser can hold a platform credential (a secure context, the API, a platform
 * authenticator with user verification). */
export async function platformAvailable(): Promise<boolean> {
  if (!window.isSecureContext || typeof PublicKeyCredential === 'undefined') return false;
  try {
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** Registration options as JSON (base64url strings), as py_webauthn's options_to_json gives. */
export interface CreationOptionsJSON {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: 'public-key'; alg: number }[];
  timeout?: number;
  excludeCredentials?: { id: string; type: 'public-key'; transports?: string[] }[];
  authenticatorSelection?: AuthenticatorSelectionCriteria;
  attestation?: AttestationConveyancePreference;
}

/** A created credential as JSON, for the server to verify (RegistrationResponseJSON). */
export interface RegistrationJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; attestationObject: string; transports?: string[] };
  authenticatorAttachment?: string | null;
  clientExtensionResults: Record<string, unknown>;
}

/** An assertion as JSON (AuthenticationResponseJSON). */
export interface AssertionJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string | null };
  authenticatorAttachment?: string | null;
  clientExtensionResults: Record<string, unknown>;
}

/** The browser's creation options from the server's JSON: a platform credential; the server's
 * authenticatorSelection (user verification required, ADR 0024) overrides these defaults. */
export function creationOptions(json: CreationOptionsJSON): PublicKeyCredentialCreationOptions {
  return {
    challenge: fromBase64url(json.challenge),
    rp: json.rp,
    user: { id: fromBase64url(json.user.id), name: json.user.name, displayName: json.user.displayName },
    pubKeyCredParams: json.pubKeyCredParams,
    timeout: json.timeout,
    excludeCredentials: (json.excludeCredentials ?? []).map((c) => ({ id: fromBase64url(c.id), type: c.type })),
    authenticatorSelection: {
      authenticatorAttachment: 'platform',
      userVerification: 'preferred',
      residentKey: 'preferred',
      ...json.authenticatorSelection,
    },
    attestation: json.attestation ?? 'none',
  };
}

export async function createCredential(json: CreationOptionsJSON): Promise<RegistrationJSON> {
  const credential = (await navigator.credentials.create({ publicKey: creationOptions(json) })) as PublicKeyCredential | null;
  if (!credential) throw new Error('no credential');
  const response = credential.response as AuthenticatorAttestationResponse;
  return asJson(credential, {
    clientDataJSON: toBase64url(response.clientDataJSON),
    attestationObject: toBase64url(response.attestationObject),
    transports: typeof response.getTransports === 'function' ? response.getTransports() : undefined,
  });
}

/** Sign `challenge` (base64url, from the server) with this phone's credential. */
export async function assert(challenge: string, credentialId: string, rpId?: string): Promise<AssertionJSON> {
  const credential = (await navigator.credentials.get({
    publicKey: {
      challenge: fromBase64url(challenge),
      rpId,
      allowCredentials: [{ id: fromBase64url(credentialId), type: 'public-key', transports: ['internal'] }],
      // The server refuses an assertion without user verification (ADR 0024): ask for it, so a
      // phone without a screen lock fails here, where the app can say why, not at the server.
      userVerification: 'required',
      timeout: 60_000,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error('no assertion');
  const response = credential.response as AuthenticatorAssertionResponse;
  return asJson(credential, {
    clientDataJSON: toBase64url(response.clientDataJSON),
    authenticatorData: toBase64url(response.authenticatorData),
    signature: toBase64url(response.signature),
    userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
  });
}

/** A credential as the JSON WebAuthn Level 3 defines (toJSON()), around its response's fields. */
function asJson<R>(credential: PublicKeyCredential, response: R) {
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: 'public-key' as const,
    response,
    authenticatorAttachment: credential.authenticatorAttachment ?? null,
    clientExtensionResults: {},
  };
}

/** A server challenge for one check-in's client_id. */
export interface Challenge {
  client_id: string;
  challenge: string;
  expires_at: string;
}

/**
 * Challenges fetched ahead, for check-ins made offline: take one still valid (its client_id
 * becomes the check-in's), refill to `keep` while online. Expired ones are dropped.
 */
export class ChallengePool {
  private items: Challenge[];
  private readonly save: (items: Challenge[]) => void;

  constructor(items: Challenge[], save: (items: Challenge[]) => void) {
    this.items = items;
    this.save = save;
  }

  /** A valid challenge, removed from the pool (used once), or null. */
  take(now: number = Date.now(), margin_ms = 60_000): Challenge | null {
    this.items = this.items.filter((c) => Date.parse(c.expires_at) - margin_ms > now);
    const first = this.items.shift() ?? null;
    this.save(this.items);
    return first;
  }

  /** How many more to ask for to hold `keep` valid ones. */
  missing(keep: number, now: number = Date.now(), margin_ms = 60_000): number {
    return Math.max(0, keep - this.items.filter((c) => Date.parse(c.expires_at) - margin_ms > now).length);
  }

  add(fresh: Challenge[]): void {
    this.items = [...this.items, ...fresh];
    this.save(this.items);
  }

  get size(): number {
    return this.items.length;
  }
}

/** The pool kept in localStorage (a few short strings), per user. */
export function storedPool(user: string): ChallengePool {
  const key = `eoffice.challenges:${user}`;
  let items: Challenge[] = [];
  try {
    items = JSON.parse(localStorage.getItem(key) ?? '[]') as Challenge[];
  } catch {
    items = [];
  }
  return new ChallengePool(items, (next) => localStorage.setItem(key, JSON.stringify(next)));
}
