// Every screen of the app, in one list: its path, who sees it in the navigation, and whether it
// needs a signed-in user. Screens live in src/screens/, one file (or folder) each; add a screen
// by adding its entry here.

import type { ComponentType } from 'preact';
import type { Me, Role } from './api/client';
import { APPROVERS } from './lib/permissions';
import { lazy } from 'preact-iso';
import { t } from './strings';
import { Inbox } from './screens/Inbox';
import { o } from './strings.office';
import { headsNav } from './strings.heads.nav';
import { hrNav } from './strings.hr.nav';
import { adminNav } from './strings.admin.nav';
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
// The administrators' screens (ADR 0027); the offices screen brings the map library with it.
const AdminOrganisation = lazy(() => import('./screens/admin/Organisation').then((m) => m.Organisation));
const AdminOffices = lazy(() => import('./screens/admin/Offices').then((m) => m.Offices));
const AdminEmployees = lazy(() => import('./screens/admin/Employees').then((m) => m.Employees));
const AdminImport = lazy(() => import('./screens/admin/Import').then((m) => m.Import));
const AdminActing = lazy(() => import('./screens/admin/Acting').then((m) => m.ActingAssignments));
const AdminCalendar = lazy(() => import('./screens/admin/Calendar').then((m) => m.Calendar));
const CheckIn = lazy(() => import('./screens/staff/CheckIn').then((m) => m.CheckIn));
const MyMonth = lazy(() => import('./screens/staff/MyMonth').then((m) => m.MyMonth));
const MyLeave = lazy(() => import('./screens/staff/MyLeave').then((m) => m.MyLeave));
const VerifyDocument = lazy(() => import('./screens/verify/VerifyDocument').then((m) => m.VerifyDocument));
// Heads (and their Plt./Plh.), admins for devices and corrections, and BKPSDM (hr).
const UnitDay = lazy(() => import('./screens/heads/UnitDay').then((m) => m.UnitDay));
const DayDetail = lazy(() => import('./screens/heads/DayDetail').then((m) => m.DayDetail));
const Flags = lazy(() => import('./screens/heads/Flags').then((m) => m.Flags));
const Leaves = lazy(() => import('./screens/heads/Leaves').then((m) => m.Leaves));
const Devices = lazy(() => import('./screens/heads/Devices').then((m) => m.Devices));
const Corrections = lazy(() => import('./screens/heads/Corrections').then((m) => m.Corrections));
const Reports = lazy(() => import('./screens/hr/Reports').then((m) => m.Reports));
const RuleSets = lazy(() => import('./screens/hr/RuleSets').then((m) => m.RuleSets));
const RuleSetView = lazy(() => import('./screens/hr/RuleSetView').then((m) => m.RuleSetView));
const RuleSetCompare = lazy(() => import('./screens/hr/RuleSetCompare').then((m) => m.RuleSetCompare));
const RuleSetNew = lazy(() => import('./screens/hr/RuleSetNew').then((m) => m.RuleSetNew));
const Penalties = lazy(() => import('./screens/hr/Penalties').then((m) => m.Penalties));

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

/** Who oversees a unit's attendance: its heads (and Plt./Plh., see `acting`), and BKPSDM. */
export const OVERSEERS: Role[] = ['head', 'sekda', 'hr'];

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
  { path: '/unit', component: UnitDay, nav: { label: headsNav.unitDay, roles: OVERSEERS, acting: true } },
  { path: '/unit/:nip/:day', component: DayDetail },
  { path: '/tinjauan', component: Flags, nav: { label: headsNav.reviews, roles: OVERSEERS, acting: true } },
  { path: '/cuti-masuk', component: Leaves, nav: { label: headsNav.leaves, roles: ['head', 'sekda'], acting: true } },
  // Phones and corrections: his heads and the admins (ADR 0028: attendance/devices.py, corrections.py).
  { path: '/perangkat', component: Devices, nav: { label: headsNav.devices, roles: APPROVERS, acting: true } },
  { path: '/koreksi', component: Corrections, nav: { label: headsNav.corrections, roles: APPROVERS, acting: true } },
  { path: '/tpp/laporan', component: Reports, nav: { label: hrNav.reports, roles: ['hr'] } },
  { path: '/tpp/aturan', component: RuleSets, nav: { label: hrNav.ruleSets, roles: ['hr'] } },
  { path: '/tpp/aturan/banding', component: RuleSetCompare },
  { path: '/tpp/aturan/baru', component: RuleSetNew },
  { path: '/tpp/aturan/:version', component: RuleSetView },
  { path: '/tpp/hukuman', component: Penalties, nav: { label: hrNav.penalties, roles: ['hr'] } },
  { path: '/admin/organisasi', component: AdminOrganisation, nav: { label: adminNav.organisation, roles: ['admin'] } },
  { path: '/admin/kantor', component: AdminOffices, nav: { label: adminNav.offices, roles: ['admin'] } },
  { path: '/admin/pegawai', component: AdminEmployees, nav: { label: adminNav.employees, roles: ['admin'] } },
  { path: '/admin/impor', component: AdminImport, nav: { label: adminNav.import, roles: ['admin'] } },
  { path: '/admin/plt-plh', component: AdminActing, nav: { label: adminNav.acting, roles: ['admin'] } },
  { path: '/admin/kalender', component: AdminCalendar, nav: { label: adminNav.calendar, roles: ['admin', 'hr'] } },
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
