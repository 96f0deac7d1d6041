// The browser's push service, for a context of headless Chromium (which has none here: no
// network to FCM). Only PushManager's subscribe/getSubscription are replaced: they subscribe at
// the local runner's push service stand-in (`eoffice dev --push-port`), with keys made in Node,
// as Chrome subscribes at FCM with keys of its own. Everything else is the browser's and the
// app's: its permission prompt, its service worker, the subscription given to the API. What the
// stand-in then holds is read back here (still encrypted) and decrypted as the browser would.
import { expect, type BrowserContext } from '@playwright/test';
import { stack } from './stack';
import { b64url, browserKeys, decrypt, unb64url, type BrowserKeys } from './webpush';

interface Made {
  subscription_id: string;
  endpoint: string;
}

/** What the page's PushSubscription is made of (PushSubscription.toJSON()'s shape). */
export interface SubscriptionData {
  endpoint: string;
  p256dh: string;
  auth: string;
  applicationServerKey: string | null;
}

export interface Pushed {
  message_id: string;
  headers: Record<string, string>;
  /** The decrypted payload, as the service worker's `event.data.text()` reads it. */
  text: string;
}

function pushUrl(): string {
  const url = stack().pushUrl;
  if (!url) throw new Error('no push service stand-in: set E2E_PUSH_URL to what eoffice dev printed');
  return url;
}

/** The push service of one browser profile (a context): its keys and its one subscription. */
export class StandInPushService {
  readonly keys: BrowserKeys = browserKeys();
  subscription: (SubscriptionData & { id: string }) | null = null;
  unsubscribed = 0;

  /** Replace the push service part of PushManager in every page of `context`. */
  async install(context: BrowserContext): Promise<void> {
    await context.exposeFunction('__e2ePushSubscribe', (key: string | null) => this.subscribe(key));
    await context.exposeFunction('__e2ePushSubscription', () => this.subscription);
    await context.exposeFunction('__e2ePushUnsubscribe', () => {
      this.unsubscribed++;
      this.subscription = null;
      return true;
    });
    await context.addInitScript(replacePushManager);
  }

  async subscribe(applicationServerKey: string | null): Promise<SubscriptionData> {
    const answer = await fetch(`${pushUrl()}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ application_server_key: applicationServerKey }),
    });
    expect(answer.status, 'the push service stand-in made a subscription').toBe(201);
    const made = (await answer.json()) as Made;
    const data = { endpoint: made.endpoint, p256dh: b64url(this.keys.publicKey), auth: b64url(this.keys.auth), applicationServerKey };
    this.subscription = { ...data, id: made.subscription_id };
    return data;
  }

  /** What the stand-in holds for the subscription, decrypted with this browser's keys. */
  async received(): Promise<Pushed[]> {
    if (!this.subscription) return [];
    const answer = await fetch(`${pushUrl()}/subscriptions/${this.subscription.id}/messages`);
    expect(answer.status).toBe(200);
    const { messages } = (await answer.json()) as { messages: { message_id: string; headers: Record<string, string>; body: string }[] };
    return messages.map((m) => ({ message_id: m.message_id, headers: m.headers, text: decrypt(this.keys, unb64url(m.body)).toString('utf8') }));
  }
}

/** Runs in the page before its scripts (serialised: it may use nothing from this module). */
function replacePushManager(): void {
  type Data = { endpoint: string; p256dh: string; auth: string; applicationServerKey: string | null };
  const bridge = window as unknown as {
    __e2ePushSubscribe: (key: string | null) => Promise<Data>;
    __e2ePushSubscription: () => Promise<Data | null>;
    __e2ePushUnsubscribe: () => Promise<boolean>;
  };
  const toB64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const fromB64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
  const keyOf = (key: unknown): string | null => {
    if (key == null) return null;
    if (typeof key === 'string') return key.replace(/=+$/, '');
    if (key instanceof ArrayBuffer) return toB64url(new Uint8Array(key));
    if (ArrayBuffer.isView(key)) return toB64url(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
    throw new TypeError('applicationServerKey');
  };
  const subscription = (d: Data) => ({
    endpoint: d.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: d.applicationServerKey ? fromB64url(d.applicationServerKey) : null },
    getKey: (name: string) => (name === 'p256dh' ? fromB64url(d.p256dh) : name === 'auth' ? fromB64url(d.auth) : null),
    toJSON: () => ({ endpoint: d.endpoint, expirationTime: null, keys: { p256dh: d.p256dh, auth: d.auth } }),
    unsubscribe: () => bridge.__e2ePushUnsubscribe(),
  });
  PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
    if (Notification.permission !== 'granted') throw new DOMException('Registration failed - permission denied', 'NotAllowedError');
    // As Chrome: only pushes the user sees, and only with the application server's key.
    if (options?.userVisibleOnly !== true) throw new DOMException('Chrome requires userVisibleOnly', 'NotAllowedError');
    if (options?.applicationServerKey == null) throw new DOMException('Registration failed - missing applicationServerKey', 'AbortError');
    return subscription(await bridge.__e2ePushSubscribe(keyOf(options?.applicationServerKey))) as unknown as PushSubscription;
  };
  PushManager.prototype.getSubscription = async function () {
    const d = await bridge.__e2ePushSubscription();
    return (d ? subscription(d) : null) as unknown as PushSubscription | null;
  };
}
