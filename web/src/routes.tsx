// Every screen of the app, in one list: its path, who sees it in the navigation, and whether it
// needs a signed-in user. Screens live in src/screens/, one file (or folder) each; add a screen
// by adding its entry here.

import type { ComponentType } from 'preact';
import type { Me, Role } from './api/client';
import { lazy } from 'preact-iso';
import { t } from './strings';
import { Inbox } from './screens/Inbox';
import { o } from './strings.office';
import { staffNav } from './strings.staff.nav';

// Every screen but the inbox (the first page) is loaded on demand: the first page's JavaScript
// and CSS stay within their budget (bench/webapp.py) however many screens the app grows.
const LetterScreen = lazy(() => import('./screens/Letter').then((m) => m.LetterScreen));
const DisposeScreen = lazy(() => import('./screens/Dispose').then((m) => m.DisposeScreen));
const Prepared = lazy(() => import('./screens/Prepared').then((m) => m.Prepared));
const Overview = lazy(() => import('./screens/Overview').then((m) => m.Overview));
const Assignments = lazy(() => import('./screens/Assignments').then((m) => m.Assignments));
const QueueScreen = lazy(() => import('./screens/QueueScreen').then((m) => m.QueueScreen));
const Notifications = lazy(() => import('./screens/Notifications').then((m) => m.Notifications));
const DeliveryFailures = lazy(() => import('./screens/DeliveryFailures').then((m) => m.DeliveryFailures));
const Letters = lazy(() => import('./screens/clerk/Letters').then((m) => m.Letters));
const Register = lazy(() => import('./screens/clerk/Register').then((m) => m.Register));
const ClerkLetter = lazy(() => import('./screens/clerk/ClerkLetter').then((m) => m.ClerkLetter));
const OutgoingList = lazy(() => import('./screens/outgoing/OutgoingList').then((m) => m.OutgoingList));
const NewDraft = lazy(() => import('./screens/outgoing/NewDraft').then((m) => m.NewDraft));
const OutgoingView = lazy(() => import('./screens/outgoing/OutgoingView').then((m) => m.OutgoingView));
const VerifyUpload = lazy(() => import('./screens/verify/VerifyUpload').then((m) => m.VerifyUpload));
const CheckIn = lazy(() => import('./screens/staff/CheckIn').then((m) => m.CheckIn));
const MyMonth = lazy(() => import('./screens/staff/MyMonth').then((m) => m.MyMonth));
const MyLeave = lazy(() => import('./screens/staff/MyLeave').then((m) => m.MyLeave));
const VerifyDocument = lazy(() => import('./screens/verify/VerifyDocument').then((m) => m.VerifyDocument));

export interface NavEntry {
  label: string;
  /** Shown to users with any of these roles (or who act as Plt./Plh.); absent: everyone. */
  roles?: Role[];
  /** Also shown to whoever acts for a head today. */
  acting?: boolean;
}

export interface RouteEntry {
  path: string;
  // Screens take their path parameters (and preact-iso's route props) as props.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  component: ComponentType<any>;
  nav?: NavEntry;
  /** Public screens (the verification page) need no sign-in. */
  public?: boolean;
}

export const LEADERS: Role[] = ['bupati', 'sekda', 'head'];
/** Who keeps a unit's agenda of incoming letters (letters/access.py HANDLERS). */
export const CLERKS: Role[] = ['tu', 'head'];

export const routes: RouteEntry[] = [
  { path: '/', component: Inbox, nav: { label: t.nav.inbox } },
  { path: '/surat/:letterId', component: LetterScreen },
  { path: '/surat/:letterId/disposisi', component: DisposeScreen },
  { path: '/disiapkan', component: Prepared, nav: { label: t.nav.prepared, roles: LEADERS, acting: true } },
  { path: '/tugas', component: Assignments, nav: { label: t.nav.assignments } },
  { path: '/ikhtisar', component: Overview, nav: { label: t.nav.overview, roles: LEADERS, acting: true } },
  { path: '/antrean', component: QueueScreen },
  // Records clerks (TU), drafters, reviewers and signers; the public verification pages.
  { path: '/agenda', component: Letters, nav: { label: o.nav.letters, roles: CLERKS, acting: true } },
  { path: '/agenda/baru', component: Register },
  { path: '/agenda/:letterId', component: ClerkLetter },
  { path: '/surat-keluar', component: OutgoingList, nav: { label: o.nav.outgoing } },
  { path: '/surat-keluar/baru', component: NewDraft },
  { path: '/surat-keluar/:outgoingId', component: OutgoingView },
  { path: '/pemberitahuan', component: Notifications, nav: { label: t.nav.notifications } },
  { path: '/gagal-terkirim', component: DeliveryFailures, nav: { label: t.nav.deliveryFailures, roles: ['admin'] } },
  // Every employee: his check-ins from the phone, his month, his leave.
  { path: '/presensi', component: CheckIn, nav: { label: staffNav.checkIn } },
  { path: '/presensi/bulan', component: MyMonth, nav: { label: staffNav.month } },
  { path: '/cuti', component: MyLeave, nav: { label: staffNav.leave } },
  { path: '/verifikasi', component: VerifyUpload, public: true },
  { path: '/verifikasi/:documentId', component: VerifyDocument, public: true },
];

export function navFor(me: Me | null): { path: string; label: string }[] {
  return routes
    .filter((r) => r.nav && !r.public)
    .filter((r) => {
      const nav = r.nav!;
      if (!nav.roles) return true;
      if (!me) return false;
      if (nav.acting && me.acting.length > 0) return true;
      return me.roles.some((role) => nav.roles!.includes(role));
    })
    .map((r) => ({ path: r.path, label: r.nav!.label }));
}

/** Whether a path is a public screen's (checked before any sign-in). */
export function isPublicPath(path: string): boolean {
  return routes.some((r) => r.public && matches(r.path, path));
}

function matches(pattern: string, path: string): boolean {
  const p = pattern.split('/');
  const q = path.split('/');
  if (p.length !== q.length && !pattern.endsWith('*')) return false;
  return p.every((part, i) => part === '*' || part.startsWith(':') || part === q[i]);
}
