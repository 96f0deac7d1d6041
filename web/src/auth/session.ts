// Sign-in with oidc-client-ts: authorization code + PKCE (its default), public client.
// The user (its tokens) is kept in localStorage, so a reload or an offline start keeps the
// session; renewal uses the refresh token (signinSilent with a refresh_token grant), not an
// iframe. The API is called with the ID token (it reads cognito:username from ID tokens).

import { User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AuthConfig } from '../config';

export const CALLBACK_PATH = '/masuk/selesai';

export class Session {
  readonly manager: UserManager;
  private readonly auth: AuthConfig;
  private renewing: Promise<User | null> | null = null;

  constructor(auth: AuthConfig, origin: string = location.origin) {
    this.auth = auth;
    this.manager = new UserManager({
      authority: auth.authority,
      metadataUrl: auth.metadataUrl,
      client_id: auth.clientId,
      redirect_uri: origin + CALLBACK_PATH,
      post_logout_redirect_uri: origin + '/',
      response_type: 'code',
      scope: auth.scope,
      automaticSilentRenew: false,
      loadUserInfo: false,
      userStore: new WebStorageStateStore({ store: localStorage }),
      stateStore: new WebStorageStateStore({ store: localStorage }),
    });
  }

  /** The stored user, even when its tokens have expired (offline reading still works). */
  user(): Promise<User | null> {
    return this.manager.getUser();
  }

  /** Go to the sign-in page; `returnTo` is where the callback sends the user afterwards. */
  signIn(returnTo = '/'): Promise<void> {
    return this.manager.signinRedirect({ state: { returnTo } });
  }

  /** Finish the sign-in on the callback page; the path to go to next. */
  async complete(url: string = location.href): Promise<string> {
    const user = await this.manager.signinRedirectCallback(url);
    const state = user.state as { returnTo?: unknown } | undefined;
    const next = typeof state?.returnTo === 'string' ? state.returnTo : '/';
    return next.startsWith('/') && !next.startsWith('//') ? next : '/';
  }

  /** An ID token for the API: the stored one, or a renewed one when it expires within a minute. */
  async idToken(): Promise<string | null> {
    const user = await this.manager.getUser();
    if (!user) return null;
    if ((user.expires_in ?? 0) > 60 && user.id_token) return user.id_token;
    const renewed = await this.renew();
    return renewed?.id_token ?? (user.expired ? null : (user.id_token ?? null));
  }

  /** A refresh_token grant (once at a time); null when it cannot be renewed (offline, revoked). */
  renew(): Promise<User | null> {
    if (!this.renewing) {
      this.renewing = (async () => {
        const user = await this.manager.getUser();
        if (!user?.refresh_token) return null;
        try {
          return await this.manager.signinSilent();
        } catch {
          return null;
        } finally {
          this.renewing = null;
        }
      })();
    }
    return this.renewing;
  }

  /** Revoke the refresh token, forget the tokens here, then end the sign-in session at the provider (Cognito's /logout). */
  async signOut(origin: string = location.origin): Promise<void> {
    // The refresh token would outlive the session otherwise; offline, the revocation fails and
    // the tokens are forgotten here all the same.
    try {
      await this.manager.revokeTokens(['refresh_token']);
    } catch {
      // offline or already revoked
    }
    await this.manager.removeUser();
    await this.manager.clearStaleState();
    const url = new URL(this.auth.signOutUrl);
    url.searchParams.set('client_id', this.auth.clientId);
    url.searchParams.set('logout_uri', origin + '/');
    location.assign(url.toString());
  }
}
