// The CSV import's row problems in Bahasa Indonesia, from the API's stable codes (RowProblem:
// code, column, value). The API's own messages are English, for operators; the administrator
// who fixes the file reads these.

import type { Schemas } from './api/client';

type Problem = Schemas['RowProblem'];

/** The CSV columns as BKPSDM names them. */
const COLUMN: Record<string, string> = {
  nip: 'NIP',
  name: 'nama',
  unit_code: 'kode unit',
  position: 'jabatan',
  roles: 'peran',
  tpp_amount: 'jumlah TPP',
  office_ids: 'kantor',
  office_id: 'kantor',
  office: 'kantor',
  active: 'aktif',
  username: 'nama pengguna',
  email: 'e-mail',
  employed_from: 'TMT mulai',
  employed_until: 'TMT akhir',
};

export function columnLabel(column: string | null | undefined): string {
  return column ? (COLUMN[column] ?? column) : 'baris';
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const quoted = (value: string | null | undefined) => `"${value ?? ''}"`;

function invalid(p: Problem): string {
  if (!p.column) return 'Baris ini tidak sah.';
  const label = columnLabel(p.column);
  if (p.value === '') return `Kolom ${label} wajib diisi.`;
  if (p.column === 'nip') return `NIP ${quoted(p.value)} tidak sah: 18 angka, dengan tanggal lahir dan TMT yang benar.`;
  if (p.column === 'roles') return `Peran ${quoted(p.value)} tidak dikenal.`;
  if (p.column === 'email') return `E-mail ${quoted(p.value)} tidak sah.`;
  return p.value ? `Isi kolom ${label} tidak sah: ${quoted(p.value)}.` : `Isi kolom ${label} tidak sah.`;
}

const WORDING: Record<Schemas['RowProblemCode'], (p: Problem) => string> = {
  unknown_unit: (p) => (p.value ? `Kode unit ${quoted(p.value)} tidak ada.` : 'Kolom kode unit wajib diisi.'),
  unknown_position: (p) => `Jabatan ${quoted(p.value)} tidak ada di unit ini.`,
  unknown_office: (p) => `Kantor ${quoted(p.value)} tidak ada di unit ini.`,
  invalid_amount: (p) => `Jumlah TPP ${quoted(p.value)} bukan Rupiah bulat (contoh 12500000 atau 12.500.000).`,
  invalid_active: (p) => `Kolom aktif ${quoted(p.value)} harus ya atau tidak.`,
  invalid_date: (p) => `${capital(columnLabel(p.column))} ${quoted(p.value)} bukan tanggal TTTT-BB-HH (contoh 2026-11-11).`,
  invalid_value: invalid,
  duplicate_in_file: (p) => `${capital(columnLabel(p.column))} ini juga ada di baris ${p.value ?? '?'}.`,
  username_taken: (p) => `Nama pengguna ini sudah dipakai pegawai dengan NIP ${p.value ?? '?'}.`,
  username_fixed: (p) => `Pegawai ini masuk dengan nama pengguna ${quoted(p.value)}; nama pengguna tidak dapat diubah.`,
  employment_dates: () => 'TMT akhir lebih awal dari TMT mulai.',
};

/** One problem as the administrator reads it; an unknown code keeps the API's message. */
export function rowProblemText(p: Problem): string {
  const words = WORDING[p.code as Schemas['RowProblemCode']];
  return words ? words(p) : p.message;
}
