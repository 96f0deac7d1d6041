"""What a notice says, in Bahasa Indonesia. Pure.

Privacy (UU 27/2022, the domain's sifat): for a *rahasia* or *sangat rahasia* letter a notice
says only that a letter waits, never its subject or sender; the person opens it in the app,
where access is checked. No notice ever carries a selfie or another person's pay.
"""

from __future__ import annotations

import uuid
from datetime import date

from eoffice.notifications.models import Message, NoticeKind
from eoffice.notifications.notice_rules import Item, Notice

_NAMESPACE = uuid.UUID("0f6b9a4e-3c1d-4f7a-9e2b-5d8c7a6b1e30")

TITLES = {
    NoticeKind.disposition_received: "Disposisi baru",
    NoticeKind.disposition_read: "Disposisi Anda telah dibaca",
    NoticeKind.disposition_reported: "Laporan tindak lanjut disposisi",
    NoticeKind.disposition_returned: "Disposisi dikembalikan",
    NoticeKind.deadline_reminder: "Batas waktu disposisi mendekat",
    NoticeKind.deadline_overdue: "Disposisi melewati batas waktu",
    NoticeKind.deadline_escalated: "Eskalasi: disposisi melewati batas waktu",
    NoticeKind.prepared_for_approval: "Konsep disposisi menunggu persetujuan",
    NoticeKind.draft_to_review: "Konsep surat menunggu paraf Anda",
    NoticeKind.draft_to_sign: "Surat menunggu tanda tangan Anda",
    NoticeKind.draft_returned: "Konsep surat dikembalikan",
    NoticeKind.letter_delivered: "Surat masuk dari unit lain",
    NoticeKind.file_refused: "Berkas ditolak",
    NoticeKind.leave_filed: "Permohonan cuti menunggu keputusan",
    NoticeKind.leave_approved: "Cuti Anda disetujui",
    NoticeKind.leave_rejected: "Cuti Anda ditolak",
    NoticeKind.tpp_report_published: "Laporan TPP terbit",
    NoticeKind.tpp_changed: "Perhitungan TPP Anda berubah",
    NoticeKind.attendance_flagged: "Presensi perlu ditinjau",
    NoticeKind.device_waiting: "HP baru menunggu persetujuan",
    NoticeKind.digest: "Ringkasan pagi",
}

_LEADS = {
    NoticeKind.disposition_received: "Anda menerima disposisi",
    NoticeKind.disposition_read: "Disposisi yang Anda kirim telah dibaca",
    NoticeKind.disposition_reported: "Ada laporan tindak lanjut atas disposisi Anda",
    NoticeKind.disposition_returned: "Disposisi yang Anda kirim dikembalikan",
    NoticeKind.deadline_reminder: "Batas waktu disposisi sudah dekat",
    NoticeKind.deadline_overdue: "Disposisi untuk Anda melewati batas waktu",
    NoticeKind.deadline_escalated: "Sebuah disposisi melewati batas waktu",
    NoticeKind.prepared_for_approval: "Ada konsep disposisi yang menunggu persetujuan Anda",
    NoticeKind.draft_to_review: "Ada konsep surat yang menunggu paraf Anda",
    NoticeKind.draft_to_sign: "Ada surat yang menunggu tanda tangan elektronik Anda",
    NoticeKind.draft_returned: "Konsep surat Anda dikembalikan untuk diperbaiki",
    NoticeKind.letter_delivered: "Surat bertanda tangan elektronik masuk ke unit Anda",
    NoticeKind.file_refused: "Berkas yang Anda kirim ditolak",
    NoticeKind.leave_filed: "Ada permohonan cuti pegawai yang menunggu keputusan Anda",
    NoticeKind.leave_approved: "Permohonan cuti Anda disetujui",
    NoticeKind.leave_rejected: "Permohonan cuti Anda ditolak; buka e-Office untuk membaca alasannya",
    NoticeKind.tpp_report_published: "Laporan TPP terbit",
    NoticeKind.tpp_changed: "Perhitungan TPP Anda berubah",
    NoticeKind.attendance_flagged: "Ada presensi pegawai yang perlu Anda tinjau",
    NoticeKind.device_waiting: "Ada HP baru pegawai yang menunggu persetujuan Anda",
}

FLAGS = {  # attendance/models.FlagKind, as a head reads them
    "mock_location": "lokasi palsu",
    "shared_device": "HP yang sama dipakai pegawai lain",
    "implausible_clock": "jam HP tidak wajar",
    "impossible_travel": "perpindahan lokasi yang tidak mungkin",
    "reused_selfie": "swafoto yang sama dipakai ulang",
    "web_location_unverified": "presensi lewat aplikasi web (lokasi palsu tidak dapat diperiksa)",
}


def notification_id(event_key: str, nip: str) -> str:
    """The same id for every delivery of one event to one person (``DomainEvent.key``): what
    makes a resent event tell nobody twice."""
    return uuid.uuid5(_NAMESPACE, f"{event_key}#{nip}").hex


def message(event_key: str, notice: Notice, item: Item | None, acting_for: str | None) -> Message:
    """The notice worded for its recipient; ``acting_for`` names the official he stands in for."""
    return Message(
        notification_id=notification_id(event_key, notice.nip),
        nip=notice.nip,
        kind=notice.kind.value,
        title=TITLES[notice.kind],  # urgency is ``urgent``: each channel marks it its own way
        body=body(notice, item, acting_for),
        path=item.path if item else "/",
        urgent=notice.urgent,
    )


def body(notice: Notice, item: Item | None, acting_for: str | None) -> str:
    lead = _LEADS.get(notice.kind, TITLES[notice.kind])
    if acting_for:
        lead += f" (sebagai Plt/Plh {acting_for})"
    if item is None:
        return lead + "."
    if item.person:
        return _about_employee(notice, item, lead)
    if item.month:
        more = (
            " Buka e-Office untuk melihat rinciannya."
            if notice.kind is NoticeKind.tpp_changed
            else ""
        )
        return f"{lead} untuk {month_name(item.month)}.{more}"
    if item.confidential:
        return lead + ". Surat ini bersifat rahasia: buka e-Office untuk membacanya."
    parts = [lead]
    if item.subject:
        parts.append(f"perihal “{_short(item.subject)}”")
    if item.sender:
        parts.append(f"dari {_short(item.sender, 80)}")
    return ", ".join(parts) + "."


def _about_employee(notice: Notice, item: Item, lead: str) -> str:
    """To a head about one of his staff: who, which day, what was seen; never a photo or a
    position."""
    person = _short(item.person or "", 80)
    if notice.kind is NoticeKind.device_waiting:
        return f"{lead}: {person} mencoba presensi dari HP yang belum disetujui."
    when = f" tanggal {tanggal(item.day)}" if item.day else ""
    seen = ", ".join(FLAGS.get(flag, flag) for flag in item.flags)
    return f"{lead}: {person}{when}" + (f" ({seen})." if seen else ".")


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tanggal(day: date) -> str:
    """``2026-12-07`` as ``7 Desember 2026``."""
    from eoffice.outgoing.wording import tanggal as long_date

    return long_date(day)


def month_name(month: str) -> str:
    """``2026-11`` as ``November 2026``."""
    from eoffice.outgoing.wording import MONTHS

    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"
