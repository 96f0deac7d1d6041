// The signed-in app: /me, the capacity the user works in, the network state and the queue,
// given to every screen through AppContext; the layout and the router.

import { LocationProvider, Router, Route } from 'preact-iso';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, makeApi, ok, type Me } from '../api/client';
import type { Session } from '../auth/session';
import { actingKey } from '../auth/signOut';
import type { RuntimeConfig } from '../config';
import { idbStorage, Queue, type QueuedAction } from '../offline/queue';
import { keepSending } from '../offline/retry';
import type { CheckInSending } from '../offline/checkinSending';
import { keep } from '../offline/cache';
import { yearsAhead } from '../lib/deadline';
import { routes } from '../routes';
import { NotFound } from '../screens/NotFound';
import { SignOut } from '../screens/SignIn';
import { AppContext, type AppState } from './context';
import { sender } from './actions';
import { Layout } from './Layout';
import { isReachable, onReachability, report as reportNetwork } from './network';
import { useKept } from './useKept';

const queue = new Queue(idbStorage());


export function App({ config, session, user }: { config: RuntimeConfig; session: Session; user: string }) {
  const api = useMemo(() => makeApi(config.apiUrl, () => session.idToken()), [config, session]);
  const me = useKept<Me>(`${user}:me`, () => ok(api.GET('/me')));
  const [browserOnline, setOnline] = useState(navigator.onLine);
  const [reachable, setReachable] = useState(isReachable());
  useEffect(() => onReachability(setReachable), []);
  const online = browserOnline && reachable;
  const [pending, setPending] = useState<QueuedAction[]>([]);
  const [actingFor, setActingForState] = useState<string | null>(() =>
    localStorage.getItem(actingKey(user)),
  );

  // What is kept is the choice's key (the absent head's NIP, or `jabatan:<position_id>` for a
  // vacant post), not what is sent as on_behalf_of.
  const setActingFor = useCallback(
    (key: string | null) => {
      if (key) localStorage.setItem(actingKey(user), key);
      else localStorage.removeItem(actingKey(user));
      setActingForState(key);
    },
    [user],
  );

  const flush = useCallback(async () => {
    await queue.flush(user, sender(api));
  }, [api, user]);

  useEffect(() => {
    const refresh = () => void queue.list().then((all) => setPending(all.filter((a) => a.user === user)));
    const unsubscribe = queue.subscribe((all) => setPending(all.filter((a) => a.user === user)));
    refresh();
    const up = () => {
      setOnline(true);
      reportNetwork(true);
      void flush();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    // What waited from an earlier start goes now.
    if (navigator.onLine) void flush();
    return () => {
      unsubscribe();
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [flush, user]);

  // Check-ins kept offline go out from any screen (loaded after the first page: only staff
  // on a phone have any), and at once when the API answers again.
  const checkIns = useRef<CheckInSending | null>(null);
  useEffect(() => {
    let stopped = false;
    void import('../offline/checkinSending').then((m) => {
      if (!stopped) checkIns.current = m.startSending(api, user);
    });
    return () => {
      stopped = true;
      checkIns.current?.stop();
      checkIns.current = null;
    };
  }, [api, user]);
  useEffect(() => {
    if (online) checkIns.current?.flush();
  }, [online]);

  // While anything waits, try again with a back-off (whoever flushed: an action, the button, an
  // online event). A 401 renews the session with the refresh token and tries at once; when that
  // fails the user is asked to sign in again (the queue stays on the device).
  useEffect(() => keepSending(queue, user, () => void flush(), session), [flush, user, session]);

  // The API did not answer though the browser says online: ask it again now and then, and send
  // what waits as soon as it answers.
  useEffect(() => {
    if (reachable || !browserOnline) return;
    const timer = setInterval(() => {
      void api.GET('/health').then(() => flush(), () => undefined);
    }, 20_000);
    return () => clearInterval(timer);
  }, [reachable, browserOnline, api, flush]);

  // A session the provider no longer accepts: sign in again (what is kept stays on the device).
  useEffect(() => {
    if (me.error instanceof ApiError && me.error.status === 401) {
      void session.renew().then((renewed) => {
        if (renewed) void me.reload();
        else void session.signIn(location.pathname + location.search);
      });
    }
  }, [me.error]);

  // What the dispose form needs, kept while online, so a disposition can be made on a plane.
  useEffect(() => {
    if (!me.data || me.fromDevice || !navigator.onLine) return;
    const years = yearsAhead(Date.now());
    const get = <T,>(key: string, call: () => Promise<T>) =>
      call()
        .then((v) => keep(`${user}:${key}`, v))
        .catch(() => undefined);
    void get('settings', () => ok(api.GET('/dispositions/settings')));
    void get('schedules', () => ok(api.GET('/attendance/schedules')));
    void get(`calendars:${years.join(',')}`, () =>
      Promise.all(years.map((year) => ok(api.GET('/calendar/{year}', { params: { path: { year } } })))),
    );
    // A vacant post's reach depends on the letter: the dispose form asks it per letter.
    const whom = [null, ...actingChoices(me.data).flatMap((a) => (a.nip ? [a.nip] : []))];
    for (const nip of whom)
      void get(`recipients:${nip ?? 'self'}`, () =>
        ok(api.GET('/me/recipients', { params: { query: { on_behalf_of: nip ?? undefined } } })),
      );
  }, [me.data, me.fromDevice]);

  // An acting assignment that ended: back to his own capacity.
  const acting = me.data ? actingChoices(me.data) : [];
  const chosen = actingFor ? (acting.find((a) => a.key === actingFor) ?? null) : null;
  // Before /me answers, a kept NIP still stands (the screens read on the device meanwhile).
  const effectiveActing = me.data ? (chosen?.nip ?? null) : actingFor?.startsWith('jabatan:') ? null : actingFor;

  const state: AppState = {
    config,
    session,
    api,
    user,
    me: me.data ?? null,
    actingFor: effectiveActing,
    acting: chosen,
    actingKey: chosen?.key ?? null,
    setActingFor,
    online,
    queue,
    pending,
    flush,
  };

  return (
    <AppContext.Provider value={state}>
      <LocationProvider>
        <Layout>
          <Router>
            {routes
              .filter((r) => !r.public)
              .map((r) => (
                <Route key={r.path} path={r.path} component={r.component} />
              ))}
            <Route path="/keluar" component={SignOut} />
            <Route default component={NotFound} />
          </Router>
        </Layout>
      </LocationProvider>
    </AppContext.Provider>
  );
}

export interface ActingChoice {
  /** The choice: the absent head's NIP, or `jabatan:<position_id>` when the post is vacant. */
  key: string;
  /** What is sent as on_behalf_of: the absent head's NIP; null for a vacant post (the API then
   * takes the unit he acts for from the letter, see README "Plt./Plh."). */
  nip: string | null;
  positionId: string;
  unitId: string;
  positionName: string;
  label: string;
  capacity: 'plt' | 'plh';
}

/** For whom the user may act today, from /me: an absent head's post, or a vacant one. */
export function actingChoices(me: Me): ActingChoice[] {
  return (me.acting_for ?? []).map((a) => ({
    key: a.nip ?? `jabatan:${a.position_id}`,
    nip: a.nip ?? null,
    positionId: a.position_id,
    unitId: a.unit_id,
    positionName: a.position_name,
    capacity: a.capacity,
    label: `${a.capacity === 'plt' ? 'Plt.' : 'Plh.'} ${a.position_name}${a.nip ? '' : ' (kosong)'}`,
  }));
}
