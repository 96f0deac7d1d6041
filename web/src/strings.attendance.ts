// The attendance vocabulary every screen shares (the staff's own, the heads', BKPSDM's), in
// Bahasa Indonesia: one word for each official term, whoever reads it. Words addressed to one
// reader (why *your* check-in was refused; what a head reviews) stay in that reader's strings.

import type { Schemas } from './api/client';

export const checkState = {
  accepted: 'Diterima',
  rejected: 'Ditolak',
  pending_review: 'Menunggu tinjauan',
} satisfies Record<Schemas['CheckState'], string>;

export const dayStatus = {
  present: 'Hadir',
  absent: 'Tanpa keterangan (TK)',
  leave: 'Cuti/izin',
  day_off: 'Hari libur',
  pending_review: 'Menunggu tinjauan',
  not_yet: 'Belum presensi',
  not_employed: 'Belum/tidak bertugas',
} satisfies Record<Schemas['DayStatus'], string>;

export const leaveType = {
  izin: 'Izin',
  cuti_tahunan: 'Cuti tahunan',
  cuti_sakit: 'Cuti sakit',
  cuti_melahirkan: 'Cuti melahirkan',
  cuti_besar: 'Cuti besar',
  cuti_alasan_penting: 'Cuti karena alasan penting',
  cltn: 'Cuti di luar tanggungan negara (CLTN)',
  dinas_luar: 'Dinas luar',
} satisfies Record<Schemas['LeaveType'], string>;

/** Where a check-in came from: the native app or the web app (ADR 0024). */
export const checkInSource = {
  native: 'aplikasi',
  web: 'web',
} satisfies Record<Schemas['CheckInSource'], string>;
