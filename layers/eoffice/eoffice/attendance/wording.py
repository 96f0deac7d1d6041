"""What an employee reads on his phone after a check-in, in Bahasa Indonesia: what was recorded
and what it counts for in his day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from eoffice.attendance.day_rules import CHECK_IN_OPENS
from eoffice.attendance.models import (
    CheckKind,
    CheckState,
    CountsAs,
    CountsReason,
    DayHours,
    RejectReason,
)
from eoffice.clock import regency_tz
from eoffice.outgoing.wording import tanggal  # dates as officials write them

_REASONS = {
    RejectReason.outside_geofence: "di luar area kantor",
    RejectReason.accuracy_too_low: "akurasi GPS terlalu rendah",
    RejectReason.mock_location: "lokasi palsu (mock location) terdeteksi",
    RejectReason.device_not_approved: "perangkat ini belum disetujui atasan Anda atau admin",
    RejectReason.device_bound_to_other: "perangkat ini terdaftar atas pegawai lain",
    RejectReason.no_office: "Anda belum terdaftar pada kantor mana pun",
    RejectReason.invalid_selfie: "swafoto tidak valid",
    RejectReason.too_old: "presensi dibuat lebih dari 31 hari yang lalu",
    RejectReason.device_not_registered: "HP ini belum terdaftar; daftarkan HP Anda lebih dulu",
    RejectReason.assertion_invalid: "verifikasi kunci HP (WebAuthn) gagal",
    RejectReason.challenge_expired: "kode verifikasi presensi sudah kedaluwarsa",
}
_KIND = {CheckKind.check_in: "masuk", CheckKind.check_out: "pulang"}
_COUNTS = {CountsAs.arrival: "jam masuk", CountsAs.departure: "jam pulang"}


@dataclass(frozen=True)
class Counting:
    """What a check-in counts for (``counts_as``, ``reason`` when nothing), and what the
    message needs to say why: its time, the day's hours or the day off's name."""

    counts_as: CountsAs
    reason: CountsReason | None
    at: datetime
    hours: DayHours | None = None
    day_off_name: str | None = None
    once_reviewed: CountsAs | None = None  # what a check-in waiting for review would count for


def message(
    kind: CheckKind,
    state: CheckState,
    reasons: list[RejectReason],
    distance_m: float | None,
    counting: Counting,
) -> str:
    if state is CheckState.rejected:
        return _rejected(kind, reasons, distance_m)
    recorded = f"Presensi {_KIND[kind]} pukul {_when(counting.at)} tercatat"
    if state is CheckState.pending_review:
        after = _COUNTS.get(counting.once_reviewed or CountsAs.none)
        counted = f"; bila disetujui, dihitung sebagai {after}" if after else ""
        return f"{recorded} dan menunggu pemeriksaan BKPSDM{counted}."
    if counting.counts_as is not CountsAs.none:
        return f"{recorded} dan dihitung sebagai {_COUNTS[counting.counts_as]} hari itu."
    return f"{recorded}, tetapi tidak dihitung: {_why(counting)}."


def _rejected(kind: CheckKind, reasons: list[RejectReason], distance_m: float | None) -> str:
    parts = [_REASONS[reason] for reason in reasons]
    if RejectReason.outside_geofence in reasons and distance_m is not None:
        index = reasons.index(RejectReason.outside_geofence)
        parts[index] += f" ({distance_m:.0f} m dari batas terdekat)"
    return f"Presensi {_KIND[kind]} ditolak: " + "; ".join(parts) + "."


def _why(counting: Counting) -> str:
    if counting.reason is CountsReason.outside_working_day:
        name = f" ({counting.day_off_name})" if counting.day_off_name else ""
        return f"hari itu bukan hari kerja{name}"
    if counting.reason is CountsReason.before_window:
        return f"presensi masuk dihitung mulai pukul {CHECK_IN_OPENS:%H:%M} WITA"
    end = counting.hours.end if counting.hours else "24:00"
    return f"jam kerja hari itu berakhir pukul {end} WITA, presensi masuk sesudahnya diabaikan"


def _when(moment: datetime) -> str:
    """``07:45 WITA, 7 Desember 2026``."""
    local = moment.astimezone(regency_tz())
    return f"{local:%H:%M} WITA, {tanggal(local.date())}"
