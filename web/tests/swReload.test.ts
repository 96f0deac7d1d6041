// The app reloads onto a new worker only when an older one served the page: a first visit's
// worker (installed across the sign-in's redirect) takes the page over without a reload.
import { describe, expect, it, vi } from 'vitest';
import { reloadWhen } from '../src/app/sw';

describe('reloadWhen', () => {
  it('does not reload a page that started without a worker for its first worker, only for a later one', () => {
    const reload = vi.fn();
    const taken = reloadWhen(false, reload);
    taken();
    expect(reload).not.toHaveBeenCalled();
    taken();
    expect(reload).toHaveBeenCalledOnce();
  });

  it('reloads a page an older worker served', () => {
    const reload = vi.fn();
    reloadWhen(true, reload)();
    expect(reload).toHaveBeenCalledOnce();
  });
});
