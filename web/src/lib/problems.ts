// The words an official reads when the API refuses a request. The API's problem `detail` is
// English (it is for programs and logs); what the app shows is chosen by the problem's stable
// `code`, in Bahasa Indonesia: what happened and what the user can do. A code without words
// here gets the generic sentence that names the code for support. A Python test
// (tests/unit/test_problem_words.py) fails when the API raises a code this map lacks.

import { ApiError, NetworkError } from '../api/client';

const TRY_AGAIN = 'Coba lagi sebentar lagi.';
const RELOAD = 'Muat ulang halaman untuk melihat keadaan terbaru.';
/** No answer at all: nothing reached the server. */
export const NO_CONNECTION = 'Tidak ada sambungan ke server. Periksa jaringan lalu coba lagi.';
const ASK_ADMIN = 'Hubungi admin bila ini keliru.';

export const PROBLEM_WORDS: Readonly<Record<string, string>> = {
  // ------------------------------------------------------------ general (errors.py, HTTP layer)
  bad_request: 'Permintaan tidak dapat diproses. Periksa isian lalu coba lagi.',
  malformed_body: 'Data yang dikirim tidak dapat dibaca. Muat ulang halaman lalu coba lagi.',
  invalid_encoding: 'Data yang dikirim tidak dapat dibaca. Muat ulang halaman lalu coba lagi.',
  json_too_deep: 'Data yang dikirim terlalu rumit untuk diproses. Sederhanakan isian lalu coba lagi.',
  invalid_input: 'Isian belum benar. Periksa kembali lalu coba lagi.',
  validation_failed: 'Isian belum benar. Periksa kembali lalu coba lagi.',
  form_invalid: 'Formulir tidak terkirim dengan benar. Muat ulang halaman lalu coba lagi.',
  file_missing: 'Pilih berkas terlebih dahulu.',
  unauthenticated: 'Sesi masuk Anda berakhir. Silakan masuk kembali.',
  no_token: 'Sesi masuk Anda berakhir. Silakan masuk kembali.',
  token_without_user: 'Sesi masuk tidak dikenali. Silakan masuk kembali.',
  unknown_user: 'Akun ini belum terdaftar sebagai pegawai. ' + ASK_ADMIN,
  inactive_user: 'Akun pegawai ini tidak aktif. ' + ASK_ADMIN,
  forbidden: 'Anda tidak berwenang melakukan ini. ' + ASK_ADMIN,
  role_required: 'Tindakan ini memerlukan peran yang tidak Anda miliki. ' + ASK_ADMIN,
  not_acting_for: 'Hari ini Anda tidak tercatat sebagai Plt./Plh. pejabat tersebut.',
  not_found: 'Data yang dicari tidak ditemukan. Mungkin sudah dihapus atau alamatnya keliru.',
  route_not_found: 'Halaman atau layanan yang diminta tidak ada. Muat ulang aplikasi.',
  conflict: 'Tindakan ini tidak dapat dijalankan karena data di server sudah berubah. ' + RELOAD,
  gone: 'Data ini sudah tidak tersedia.',
  payload_too_large: 'Berkas atau data terlalu besar. Kecilkan ukurannya lalu coba lagi.',
  unsupported_media_type: 'Jenis berkas atau data ini tidak didukung.',
  active_content: 'Berkas memuat konten aktif (skrip atau lampiran tersembunyi). Cetak ulang ke PDF lalu unggah lagi.',
  too_complex: 'Berkas terlalu rumit untuk diperiksa dengan aman. Pecah menjadi beberapa berkas atau cetak ulang ke PDF.',
  too_many_requests: 'Terlalu banyak permintaan. ' + TRY_AGAIN,
  upstream_failed: 'Layanan pendukung sedang bermasalah; tidak ada yang diubah. ' + TRY_AGAIN,
  outcome_unknown: 'Hasil permintaan belum diketahui. Periksa keadaannya sebelum mencoba lagi.',
  invalid_cursor: 'Daftar tidak dapat dilanjutkan. Muat ulang halaman.',

  // ------------------------------------------------------------ idempotent writes
  idempotency_in_progress: 'Permintaan yang sama masih diproses. Tunggu sebentar lalu muat ulang halaman.',
  idempotency_key_reused:
    'Permintaan ini bertabrakan dengan permintaan sebelumnya. Muat ulang halaman lalu ulangi tindakan Anda.',
  idempotency_unavailable: 'Permintaan belum dapat diperiksa; tidak ada yang diubah. ' + TRY_AGAIN,
  invalid_idempotency_key: 'Permintaan tidak dikenali aplikasi. Muat ulang halaman lalu coba lagi.',

  // ------------------------------------------------------------ letters and agenda
  agenda_busy: 'Banyak surat sedang diagendakan bersamaan. ' + TRY_AGAIN,
  letter_not_found: 'Surat ini tidak ditemukan. Mungkin alamatnya keliru.',
  file_not_found: 'Surat ini belum memiliki berkas.',
  letter_not_registered: 'Surat belum terdaftar lengkap (data dan berkas), jadi belum dapat didisposisikan.',
  received_year_fixed: 'Nomor agenda terikat pada tahun surat diterima. Daftarkan surat ini sebagai surat baru.',
  not_unit_handler: 'Hanya TU atau kepala unit pemilik surat yang dapat menangani surat ini.',

  // ------------------------------------------------------------ dispositions and assignments
  already_disposed: 'Disposisi ini sudah pernah dikirim dan masih berjalan. ' + RELOAD,
  invalid_transition: 'Tugas ini sudah berubah status sehingga tindakan tersebut tidak dapat dilakukan. ' + RELOAD,
  already_read: 'Tugas ini sudah dibaca penerimanya sehingga tidak dapat dibatalkan lagi. ' + RELOAD,
  disposition_conflict: 'Disposisi ini diubah orang lain pada saat yang sama. ' + RELOAD,
  assignment_not_found: 'Tugas ini tidak ditemukan. Mungkin sudah dibatalkan.',
  not_recipient: 'Hanya penerima tugas (atau Plt./Plh.-nya) yang dapat menindaklanjuti tugas ini.',
  not_sender: 'Hanya pengirim disposisi yang dapat membatalkannya.',
  not_letter_holder: 'Hanya kepala unit, TU, atau penerima surat yang dapat mendisposisikan surat ini.',
  not_overseer: 'Ikhtisar ini hanya untuk Bupati, Sekda, dan kepala unit.',
  tembusan_not_actionable: 'Tembusan hanya untuk diketahui: cukup dibaca, tidak ditindaklanjuti.',
  recipient_is_sender: 'Anda tidak dapat mendisposisikan surat kepada diri sendiri.',
  recipient_out_of_reach: 'Sebagian penerima berada di luar unit Anda dan unit di bawahnya. Pilih penerima lain.',
  inactive_recipient: 'Salah satu penerima bukan pegawai aktif. Pilih penerima lain.',
  unknown_instruction: 'Ada instruksi yang tidak ada dalam daftar. Pilih dari daftar instruksi.',
  deadline_in_past: 'Batas waktu harus di masa depan.',
  deadline_after_parent: 'Batas waktu tidak boleh melewati batas waktu disposisi yang diteruskan.',
  invalid_status: 'Saringan status tidak dikenal. Muat ulang halaman.',
  open_statuses_only: 'Urutan batas waktu dan saringan terlambat hanya berlaku untuk tugas yang masih berjalan.',
  report_file_too_large: 'Berkas laporan terlalu besar. Kecilkan ukurannya lalu unggah lagi.',
  report_file_type: 'Jenis berkas laporan tidak didukung. Unggah PDF, gambar, atau dokumen kantor.',
  unknown_report_file: 'Berkas laporan tidak dikenali. Unggah berkas itu lagi.',
  calendar_not_configured: 'Kalender hari kerja belum diatur; batas waktu dihitung tanpa hari libur.',
  // prepared dispositions
  head_is_preparer: 'Siapkan disposisi untuk pimpinan Anda, bukan untuk diri sendiri.',
  not_a_head: 'Disposisi hanya disiapkan untuk kepala unit, Bupati, atau Sekda.',
  not_head: 'Hanya pimpinan yang dituju yang dapat menyetujui disposisi ini.',
  not_unit_clerk: 'Hanya TU unit pemilik surat yang dapat menyiapkan disposisi.',
  prepared_decided: 'Rancangan disposisi ini sudah diputuskan. ' + RELOAD,
  prepared_not_found: 'Rancangan disposisi ini tidak ditemukan.',
  unit_without_head: 'Unit pemilik surat belum memiliki kepala. ' + ASK_ADMIN,

  // ------------------------------------------------------------ outgoing letters (paraf, TTE)
  already_reviewed: 'Anda sudah memberi paraf (atau mengembalikan) versi ini. ' + RELOAD,
  already_signed: 'Anda sudah menandatangani surat ini. ' + RELOAD,
  author_only: 'Hanya pembuat konsep surat yang dapat melakukan ini.',
  not_a_draft: 'Surat sudah masuk tahap tanda tangan sehingga tidak dapat diubah lagi.',
  not_in_review: 'Surat ini tidak sedang dalam tahap paraf. ' + RELOAD,
  reviews_pending: 'Surat belum selesai diparaf, jadi belum dapat ditandatangani.',
  not_signable: 'Surat ini tidak dalam tahap tanda tangan. ' + RELOAD,
  not_your_turn: 'Belum giliran Anda memberi paraf surat ini.',
  stale_version: 'Sudah ada versi konsep yang lebih baru. Muat ulang halaman lalu periksa versi terbaru.',
  version_not_found: 'Versi surat ini tidak ditemukan.',
  other_unit: 'Konsep surat dibuat di unit Anda sendiri.',
  unit_only: 'Surat unit ini hanya untuk TU dan kepala unitnya.',
  unknown_unit: 'Unit tersebut tidak dikenal. Pilih dari daftar.',
  unknown_recipient: 'Salah satu unit tujuan tidak aktif atau tidak dikenal. Pilih dari daftar.',
  unknown_reviewer: 'Salah satu pemaraf bukan pegawai aktif. Pilih pegawai lain.',
  unknown_signer: 'Penanda tangan bukan pegawai aktif. Pilih pegawai lain.',
  not_signed: 'Hanya surat yang sudah ditandatangani yang dapat dicabut.',
  revoke_not_allowed: 'Hanya penanda tangan atau admin yang dapat mencabut surat.',
  deliver_not_allowed: 'Surat dikirim oleh pembuatnya, penanda tangan, atau admin.',
  delivery_busy: 'Surat berubah selama pengiriman. Kirim ulang.',
  letter_revoked: 'Surat ini sudah dicabut oleh penanda tangannya.',
  link_not_found: 'Tautan ini tidak ada atau sudah kedaluwarsa.',
  outgoing_not_found: 'Surat ini sudah tidak ada.',
  no_signing_key: 'Anda belum memiliki kunci TTE. Minta admin menerbitkannya, atau tanda tangani dengan BSrE.',
  no_timestamp_authority: 'Layanan penanda waktu belum diatur, jadi surat belum dapat ditandatangani. ' + ASK_ADMIN,
  numbering_busy: 'Banyak surat sedang diberi nomor bersamaan. ' + TRY_AGAIN,
  signed_meanwhile: 'Tanda tangan lain baru saja dibubuhkan. ' + RELOAD,
  signing_in_progress: 'Surat sedang ditandatangani saat ini. Tunggu sebentar lalu muat ulang halaman.',
  signing_failed: 'Penandatanganan gagal; surat tidak berubah. ' + TRY_AGAIN,
  signing_key_failed: 'Kunci TTE tidak dapat dipakai saat ini; surat tidak berubah. ' + TRY_AGAIN,
  signing_outcome_unknown: 'Tanda tangan BSrE sebelumnya belum jelas hasilnya. Selesaikan dulu sebelum menandatangani lagi.',
  nothing_to_resolve: 'Tidak ada percobaan tanda tangan yang menunggu penyelesaian.',
  resolve_not_allowed: 'Hanya penanda tangan yang mencoba (atau admin) yang dapat menyelesaikan ini.',
  // BSrE
  bsre_rejected: 'BSrE menolak penandatanganan. Periksa NIK dan passphrase atau kode TOTP, lalu coba lagi.',
  bsre_unavailable: 'Layanan TTE BSrE tidak dapat dihubungi. ' + TRY_AGAIN,
  bsre_no_timestamp: 'Tanda tangan dari BSrE tidak memuat waktu; tidak disimpan. ' + TRY_AGAIN,
  certificate_unusable: 'Sertifikat BSrE yang dipakai sudah dicabut atau kedaluwarsa; tanda tangan tidak disimpan.',
  bsre_certificate_not_registered: 'NIK ini belum terdaftar pada BSrE. Daftarkan sertifikat elektronik terlebih dahulu.',
  bsre_certificate_pending: 'Sertifikat elektronik BSrE untuk NIK ini masih dalam proses penerbitan.',
  bsre_certificate_expired: 'Sertifikat elektronik BSrE untuk NIK ini sudah kedaluwarsa. Perpanjang di BSrE.',
  bsre_certificate_revoked: 'Sertifikat elektronik BSrE untuk NIK ini sudah dicabut.',
  bsre_certificate_suspended: 'Sertifikat elektronik BSrE untuk NIK ini sedang dibekukan.',
  not_this_letter: 'Berkas dari BSrE bukan surat ini dengan satu tanda tangan tambahan.',
  not_this_signer: 'Tanda tangan baru bukan dari sertifikat NIK ini.',
  signature_not_valid: 'Tanda tangan baru tidak dapat diverifikasi.',
  // verification (public)
  not_a_pdf: 'Berkas ini bukan PDF yang dapat diperiksa.',
  file_too_large: 'Berkas terlalu besar untuk diperiksa di sini.',
  rate_limited: 'Terlalu banyak berkas diperiksa dari alamat ini. Tunggu satu menit lalu coba lagi.',

  // ------------------------------------------------------------ signing keys (admin)
  certificate_expired: 'Sertifikat kunci TTE ini sudah kedaluwarsa.',
  certificate_key_mismatch: 'Sertifikat ini bukan untuk kunci tersebut.',
  certificate_key_usage: 'Sertifikat ini tidak mengizinkan penandatanganan.',
  certificate_not_pem: 'Sertifikat harus berformat PEM.',
  certificate_not_yet_valid: 'Sertifikat ini belum berlaku.',
  trust_root_not_pem: 'Sertifikat akar harus berformat PEM.',
  trust_root_not_ca: 'Sertifikat akar harus sertifikat CA.',
  trust_root_not_self_signed: 'Sertifikat akar harus ditandatangani sendiri.',
  unsupported_key: 'Kunci sertifikat bukan RSA maupun EC.',
  not_a_kms_key: 'Hanya kunci KMS yang dapat menerima sertifikat impor.',
  key_changed: 'Kunci TTE ini diubah orang lain pada saat yang sama. ' + RELOAD,
  key_exists: 'Kunci TTE dengan id ini sudah ada.',
  secret_outside_prefix: 'Nama secret tidak diawali awalan yang diizinkan.',
  signing_key_changed: 'Secret PKCS#12 kini memuat sertifikat lain. Daftarkan kuncinya lagi.',
  signing_key_disabled: 'Kunci TTE ini dinonaktifkan. ' + ASK_ADMIN,
  signing_key_not_active: 'Kunci TTE ini tidak aktif. ' + ASK_ADMIN,
  signing_key_not_found: 'Kunci TTE tidak ditemukan.',
  pkcs12_secret_malformed: 'Isi secret PKCS#12 tidak sesuai format.',
  pkcs12_secret_not_found: 'Secret PKCS#12 tidak ditemukan.',
  pkcs12_unreadable: 'Berkas PKCS#12 tidak dapat dibuka (kata sandi salah atau isinya tidak lengkap).',

  // ------------------------------------------------------------ organisation (admin)
  employee_exists: 'NIP atau nama pengguna ini sudah terdaftar.',
  employee_not_found: 'Pegawai dengan NIP ini tidak ditemukan.',
  unknown_employee: 'Pegawai dengan NIP ini tidak ditemukan.',
  unit_not_found: 'Unit ini tidak ditemukan.',
  office_not_found: 'Kantor ini tidak ditemukan.',
  position_not_found: 'Jabatan ini tidak ditemukan.',
  invalid_actor: 'Tidak ada pegawai aktif dengan NIP tersebut.',
  invalid_employment_dates: 'Tanggal kepegawaian tidak masuk akal. Periksa kembali.',
  invalid_office: 'Kantor yang dipilih tidak dikenal.',
  invalid_parent: 'Setiap unit selain Pemerintah Kabupaten memerlukan unit induk.',
  invalid_polygon: 'Batas wilayah kantor tidak dapat dipakai sebagai pagar lokasi. Gambar ulang.',
  invalid_position: 'Jabatan ini bukan milik unit tersebut.',
  not_a_head_position: 'Plt./Plh. hanya untuk jabatan kepala.',
  tpp_amount_required: 'Isi besaran TPP dalam Rupiah (0 bila tidak ada).',
  csv_too_large: 'Berkas CSV terlalu besar.',
  import_rejected: 'Sebagian baris CSV tidak valid; tidak ada yang diimpor. Perbaiki lalu impor lagi.',
  invalid_csv_encoding: 'Berkas CSV harus berupa teks UTF-8.',
  invalid_csv_header: 'Judul kolom CSV tidak sesuai templat.',
  too_many_rows: 'Baris CSV terlalu banyak untuk sekali impor. Bagi menjadi beberapa berkas.',
  // calendar
  day_off_outside_year: 'Ada hari libur di luar tahun yang diatur.',
  duplicate_day_off: 'Ada tanggal yang tercantum dua kali.',
  invalid_year: 'Tahun di luar rentang yang diizinkan.',
  ramadan_outside_year: 'Awal Ramadan tidak berada pada tahun ini.',

  // ------------------------------------------------------------ attendance and leave
  concurrent_checkin: 'Presensi berubah pada saat yang sama. ' + TRY_AGAIN,
  throttled: 'Sistem presensi sedang sibuk. ' + TRY_AGAIN,
  device_changed: 'Perangkat atau profil pegawai berubah pada saat yang sama. ' + TRY_AGAIN,
  device_in_use: 'Perangkat ini terikat pada pegawai lain. Lepaskan dulu.',
  device_request_not_found: 'Permintaan perangkat tidak ditemukan.',
  no_bound_device: 'Pegawai ini belum memiliki perangkat terikat.',
  invalid_credential: 'Pendaftaran HP ini gagal diverifikasi. Muat ulang halaman lalu daftarkan lagi.',
  challenge_expired: 'Pendaftaran HP terlalu lama dan kedaluwarsa. Mulai lagi.',
  flag_closed: 'Tanda presensi ini sudah ditinjau.',
  flag_not_found: 'Tanda presensi tidak ditemukan.',
  invalid_decision: 'Pilih diterima atau ditolak.',
  not_a_reviewer: 'Hanya BKPSDM dan kepala unit yang meninjau tanda presensi.',
  not_your_unit: 'Hanya BKPSDM dan kepala unit ini yang dapat melihatnya.',
  not_your_staff: 'Presensi ini hanya untuk pegawai itu, atasannya, dan BKPSDM.',
  own_attendance: 'Anda tidak dapat memutuskan presensi Anda sendiri.',
  not_a_device_approver: 'Ponsel pegawai disetujui oleh atasannya (atau Plt./Plh.) dan admin.',
  not_a_corrector: 'Hari pegawai dikoreksi oleh atasannya (atau Plt./Plh.) dan admin.',
  correction_window_closed: 'Atasan hanya dapat mengoreksi hari pada bulan ini dan bulan lalu, selama laporan TPP bulan itu belum dikunci BKPSDM. Selebihnya, ajukan ke BKPSDM.',
  future_day: 'Hari yang belum tiba tidak dapat dikoreksi.',
  invalid_correction: 'Koreksi hanya dapat menjadikan hari hadir, tidak hadir, atau cuti.',
  invalid_month: 'Bulan harus berformat TTTT-BB.',
  schedule_not_found: 'Unit ini belum memiliki jadwal kerja sendiri.',
  selfie_not_found: 'Presensi ini tidak memiliki swafoto.',
  destination_not_allowed: 'Tujuan hanya diisi untuk dinas luar.',
  document_not_found: 'Dokumen belum diunggah. Unggah dokumennya lagi.',
  document_required: 'Cuti sakit memerlukan surat keterangan dokter.',
  invalid_document: 'Ukuran dokumen tidak sesuai batas. Unggah berkas lain.',
  no_document: 'Cuti ini tidak memiliki dokumen.',
  hr_only: 'Hanya BKPSDM yang dapat mengajukan cuti untuk pegawai lain.',
  inactive_employee: 'Pegawai ini tidak aktif.',
  invalid_period: 'Tanggal selesai tidak boleh sebelum tanggal mulai.',
  leave_changed: 'Ada cuti lain yang diajukan pada saat yang sama. ' + TRY_AGAIN,
  leave_not_cancellable: 'Cuti ini sudah tidak dapat dibatalkan.',
  leave_not_found: 'Cuti ini tidak ditemukan.',
  leave_not_pending: 'Cuti ini sudah diputuskan. ' + RELOAD,
  leave_overlaps: 'Tanggalnya bertumpuk dengan cuti lain.',
  leave_started: 'Cuti yang sudah berjalan hanya dapat dibatalkan oleh BKPSDM.',
  mine_or_unit: 'Pilih cuti Anda sendiri atau cuti satu unit, jangan keduanya.',
  no_approver: 'Pegawai ini tidak memiliki atasan yang dapat memutuskan.',
  not_your_decision: 'Hanya atasan pegawai (atau Plt./Plh.-nya) yang dapat memutuskan cuti ini.',
  not_your_leave: 'Hanya pegawai itu atau BKPSDM yang dapat membatalkan cuti ini.',
  note_required: 'Tuliskan alasan penolakan cuti.',
  period_too_long: 'Masa cuti melebihi batas hari yang diizinkan.',
  starts_too_early: 'Tanggal mulai terlalu jauh ke belakang, atau cuti harus diajukan sebelum hari pertamanya.',
  starts_too_late: 'Tanggal mulai terlalu jauh ke depan.',
  travel_order_not_allowed: 'Nomor SPT hanya diisi untuk dinas luar.',
  travel_order_required: 'Dinas luar memerlukan nomor SPT.',

  // ------------------------------------------------------------ TPP
  cannot_freeze: 'Bulan ini sudah dibekukan atau sedang dihitung.',
  lease_lost: 'Perhitungan diambil alih proses lain. ' + RELOAD,
  month_busy: 'Bulan ini sudah dibekukan atau sedang dihitung. ' + TRY_AGAIN,
  month_frozen: 'Laporan TPP bulan ini sudah dibekukan.',
  month_not_over: 'Bulan ini belum berakhir.',
  no_rule_set: 'Belum ada aturan TPP yang berlaku untuk bulan ini. ' + ASK_ADMIN,
  not_in_report: 'Pegawai ini tidak ada dalam laporan TPP bulan ini.',
  penalty_cancelled: 'Potongan ini sudah ditarik.',
  penalty_changed: 'Potongan ini diubah pada saat yang sama. ' + RELOAD,
  penalty_exists: 'Potongan itu sudah ada.',
  penalty_not_found: 'Potongan ini tidak ditemukan.',
  report_not_found: 'Laporan TPP bulan ini belum ada.',
  rule_set_not_found: 'Versi aturan TPP ini tidak ditemukan.',
  run_in_progress: 'Laporan bulan ini sedang dihitung. ' + TRY_AGAIN,
  version_taken: 'Versi aturan itu baru saja diterbitkan orang lain. ' + RELOAD,

  // ------------------------------------------------------------ notifications
  notification_not_found: 'Pemberitahuan ini tidak ditemukan.',
  not_hr: 'Hanya pegawai yang bersangkutan dan petugas kepegawaian (BKPSDM) yang dapat melihat pengaturan pemberitahuannya.',
  invalid_preferences: 'Pengaturan notifikasi ini tidak dapat disimpan. Periksa isiannya lalu coba lagi.',
  invalid_phone: 'Nomor WhatsApp tidak dikenali. Tulis nomor ponsel Indonesia, misalnya 0812 3456 7890.',
  whatsapp_number_missing: 'Isi nomor WhatsApp Anda dulu sebelum memilih pemberitahuan lewat WhatsApp.',

  // ------------------------------------------------------------ sign-ins
  sign_in_job_not_found: 'Proses pembuatan akun ini tidak ditemukan.',
};

/** When the answer has no code of ours (a gateway's `{"message": ...}`), by HTTP status. */
const BY_STATUS: Readonly<Record<number, string>> = {
  401: PROBLEM_WORDS['unauthenticated']!,
  403: PROBLEM_WORDS['forbidden']!,
  404: PROBLEM_WORDS['not_found']!,
  409: PROBLEM_WORDS['conflict']!,
  413: PROBLEM_WORDS['payload_too_large']!,
  429: PROBLEM_WORDS['too_many_requests']!,
  500: 'Terjadi gangguan di server. ' + TRY_AGAIN,
  502: PROBLEM_WORDS['upstream_failed']!,
  503: 'Layanan sedang tidak tersedia. ' + TRY_AGAIN,
  504: PROBLEM_WORDS['outcome_unknown']!,
};

/** The generic sentence, naming the code so support can find it. */
export function fallbackWords(code: string): string {
  return `Permintaan ditolak (kode: ${code}).`;
}

/** The words for one API problem (its stable code; the status when the code is none of ours). */
export function problemWords(problem: { code?: string | null; status?: number | null } | null | undefined): string {
  const code = problem?.code ?? '';
  const known = Object.hasOwn(PROBLEM_WORDS, code) ? PROBLEM_WORDS[code] : undefined;
  if (known) return known;
  const status = problem?.status ?? Number(/^http_(\d{3})$/.exec(code)?.[1] ?? NaN);
  if (/^http_\d{3}$/.test(code) && BY_STATUS[status]) return BY_STATUS[status]!;
  return fallbackWords(code || (status ? `http_${status}` : 'tidak_diketahui'));
}

/** Words for anything a call threw: an API problem, no connection, or another error. */
export function errorWords(error: unknown): string {
  if (error instanceof ApiError) return problemWords(error);
  if (error instanceof NetworkError) return NO_CONNECTION;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The words and, for support, the code (the offline queue shows what the server refused). */
export function problemWithCode(problem: { code?: string | null; status?: number | null } | null | undefined): string {
  const words = problemWords(problem);
  const code = problem?.code;
  return code && !words.includes(`(kode: ${code})`) ? `${words} (kode: ${code})` : words;
}
