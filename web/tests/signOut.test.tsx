// Sign-out leaves nothing of the user on the device (queue, acting-for, kept letters and PDFs),
// revokes the refresh token first, warns when actions wait, and asks first when /keluar was
// opened from elsewhere.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { AppState } from '../src/app/context';
import { memoryStorage, Queue } from '../src/offline/queue';
import { keep, kept } from '../src/offline/cache';
import { actingKey, signOutAndForget } from '../src/auth/signOut';
import { Session } from '../src/auth/session';
import { t } from '../src/strings';

function entry(label: string, user: string) {
  return { kind: 'dispose' as const, user, label, letterId: `L-${label}`, params: {}, body: { note: label } };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('sign-out', () => {
  const root = document.createElement('div');
  afterEach(() => {
    render(null, root);
    vi.restoreAllMocks();
  });

  it("forgets the user's queue, acting-for and kept letters and PDFs, and no one else's", async () => {
    const queue = new Queue(memoryStorage());
    await queue.add(entry('rahasia', 'bupati'));
    await queue.add(entry('lain', 'sekda'));
    localStorage.setItem(actingKey('bupati'), '1975');
    await keep('bupati:pdf:L-1:abc', new ArrayBuffer(4));
    await keep('bupati:letter:L-1', { subject: 'Rahasia' });
    await keep('sekda:letter:L-2', { subject: 'Milik sekda' });
    const session = { signOut: vi.fn(async () => undefined) };
    let pushStopped = false;
    await signOutAndForget(session, queue, 'bupati', async () => {
      pushStopped = true;
    });
    expect(pushStopped).toBe(true); // his notices must not reach the next person on this device
    expect((await queue.list()).map((a) => a.user)).toEqual(['sekda']);
    expect(localStorage.getItem(actingKey('bupati'))).toBeNull();
    expect(await kept('bupati:pdf:L-1:abc')).toBeUndefined();
    expect(await kept('bupati:letter:L-1')).toBeUndefined();
    expect(await kept('sekda:letter:L-2')).toBeDefined();
    expect(session.signOut).toHaveBeenCalledOnce();
  });

  it('revokes the refresh token before forgetting the tokens, and goes on when that fails offline', async () => {
    const session = new Session(
      { authority: 'http://idp.test', metadataUrl: 'http://idp.test/.well-known/openid-configuration', clientId: 'web', scope: 'openid', signOutUrl: 'http://idp.test/logout' },
      'http://app.test',
    );
    const calls: string[] = [];
    const m = session.manager as unknown as Record<string, unknown>;
    m['revokeTokens'] = vi.fn(async () => {
      calls.push('revoke');
      throw new TypeError('Failed to fetch');
    });
    m['removeUser'] = vi.fn(async () => void calls.push('remove'));
    m['clearStaleState'] = vi.fn(async () => undefined);
    const assign = vi.fn();
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, assign } as Location);
    await session.signOut('http://app.test');
    expect(calls).toEqual(['revoke', 'remove']);
    expect(m['revokeTokens']).toHaveBeenCalledWith(['refresh_token']);
    expect(assign).toHaveBeenCalledOnce();
  });

  async function mountSignOut(pendingCount: number) {
    const { SignOut } = await import('../src/screens/SignIn');
    const { AppContext } = await import('../src/app/context');
    const queue = new Queue(memoryStorage());
    const pending = [];
    for (let i = 0; i < pendingCount; i++) pending.push(await queue.add(entry(`a${i}`, 'bupati')));
    const session = { signOut: vi.fn(async () => undefined) };
    const state = { session, user: 'bupati', queue, pending, online: true, flush: vi.fn(async () => undefined) } as unknown as AppState;
    await act(async () => {
      render(
        <AppContext.Provider value={state}>
          <SignOut />
        </AppContext.Provider>,
        root,
      );
      await settle();
    });
    return { session, queue, state };
  }

  it('signs out at once from the app when nothing waits', async () => {
    const { session } = await mountSignOut(0);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 200));
    });
    expect(session.signOut).toHaveBeenCalledOnce();
  });

  it('warns when actions wait: send them first, or drop them and sign out', async () => {
    const { session, queue, state } = await mountSignOut(2);
    expect(session.signOut).not.toHaveBeenCalled();
    expect(root.textContent).toContain(t.signOutWaiting(2));
    const button = (name: string) => Array.from(root.querySelectorAll('button')).find((b) => b.textContent === name)!;
    await act(async () => {
      button(t.signOutSendFirst).click();
      await settle();
    });
    expect(state.flush).toHaveBeenCalledOnce();
    expect(session.signOut).not.toHaveBeenCalled();
    await act(async () => {
      button(t.signOutDrop).click();
      await settle();
    });
    expect(session.signOut).toHaveBeenCalledOnce();
    expect(await queue.list()).toEqual([]);
  });

  it('asks first when /keluar is opened from elsewhere (a plain GET does not sign out)', async () => {
    vi.resetModules();
    history.replaceState(null, '', '/keluar');
    try {
      const { session } = await mountSignOut(0);
      expect(session.signOut).not.toHaveBeenCalled();
      expect(root.textContent).toContain(t.signOutTitle);
    } finally {
      history.replaceState(null, '', '/');
    }
  });
});
