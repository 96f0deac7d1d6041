// The dispose form never drops the user's own deadline silently: ticked with no date, or with a
// date while the working calendars are not loaded, it sends nothing and says why.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { makeApi } from '../src/api/client';
import { AppContext, type AppState } from '../src/app/context';
import { idbStorage, Queue } from '../src/offline/queue';
import { DisposeForm } from '../src/ui/DisposeForm';
import { t } from '../src/strings';

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('dispose form: own deadline', () => {
  let root: HTMLElement;
  beforeEach(() => {
    root = document.createElement('div');
    document.body.appendChild(root);
    // Offline: nothing loads (no calendars, nothing kept for this user).
    globalThis.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
  });
  afterEach(() => {
    render(null, root);
    root.remove();
  });

  async function mount() {
    const state = {
      api: makeApi('http://api.test', async () => 'id-token'),
      queue: new Queue(idbStorage()),
      online: false,
      user: `df-${Math.random()}`,
      me: null,
      actingFor: null,
      pending: [],
    } as unknown as AppState;
    const onSubmit = vi.fn();
    await act(async () => {
      render(
        <AppContext.Provider value={state}>
          <DisposeForm
            urgensi="segera"
            initial={{ recipients: [{ nip: '1' }], instructions: ['tindak_lanjut'] }}
            submitLabel="Kirim"
            busy={false}
            onSubmit={onSubmit}
          />
        </AppContext.Provider>,
        root,
      );
      await settle();
    });
    const own = Array.from(root.querySelectorAll('label.check')).find((l) =>
      l.textContent?.includes(t.dispose.deadlineOwn),
    )!;
    await act(() => {
      own.querySelector('input')!.click();
    });
    return onSubmit;
  }

  async function submit() {
    await act(async () => {
      root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      await settle();
    });
  }

  it('refuses to send when the box is ticked with no date', async () => {
    const onSubmit = await mount();
    await submit();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(root.textContent).toContain(t.dispose.needOwnDate);
  });

  it('refuses to send a chosen date while the calendars are not loaded', async () => {
    const onSubmit = await mount();
    await act(() => {
      const input = root.querySelector<HTMLInputElement>('#own-deadline')!;
      input.value = '2026-12-20';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await submit();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(root.textContent).toContain(t.dispose.noCalendars);
  });
});
