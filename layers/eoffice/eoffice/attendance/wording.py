"""What an employee reads on his phone after a check-in, in Bahasa Indonesia."""

from __future__ import annotations

from eoffice.attendance.models import CheckKind, CheckState, RejectReason

_REASONS = {
    RejectReason.outside_geofence: "di luar area kantor",
    RejectReason.accuracy_too_low: "akurasi GPS terlalu rendah",
    RejectReason.mock_location: "lokasi palsu (mock location) terdeteksi",
    RejectReason.device_not_approved: "perangkat ini belum disetujui admin",
    RejectReason.device_bound_to_other: "perangkat ini terdaftar atas pegawai lain",
    RejectReason.no_office: "Anda belum terdaftar pada kantor mana pun",
    RejectReason.invalid_selfie: "swafoto tidak valid",
    RejectReason.too_old: "presensi dibuat lebih dari 31 hari yang lalu",
}
_KIND = {CheckKind.check_in: "masuk", CheckKind.check_out: "pulang"}


def message(
    kind: CheckKind, state: CheckState, reasons: list[RejectReason], distance_m: float | None
) -> str:
    if state is CheckState.accepted:
        return f"Presensi {_KIND[kind]} diterima."
    if state is CheckState.pending_review:
        return f"Presensi {_KIND[kind]} tercatat dan menunggu pemeriksaan BKPSDM."
    parts = [_REASONS[reason] for reason in reasons]
    if RejectReason.outside_geofence in reasons and distance_m is not None:
        index = reasons.index(RejectReason.outside_geofence)
        parts[index] += f" ({distance_m:.0f} m dari batas terdekat)"
    return f"Presensi {_KIND[kind]} ditolak: " + "; ".join(parts) + "."
