"""Words that reach officials and the public on a signed letter, in Bahasa Indonesia: dates, the
place-and-date line, the electronic-signature footer, and signing times in WITA."""

from __future__ import annotations

from datetime import date, datetime

from eoffice import settings
from eoffice.clock import regency_tz

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
BSRE = "Balai Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara"
_BSRE_MARKS = ("bsre", "balai sertifikasi elektronik")


def tanggal(day: date) -> str:
    """28 November 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def angka(number: int) -> str:
    """1.234.567: thousands separated by points, as Indonesian writes numbers."""
    return f"{number:,}".replace(",", ".")


def place() -> str:
    """Where letters are signed (``SIGNING_PLACE``; the regency's capital by default)."""
    return settings.get(settings.Signing).signing_place


def place_and_date(where: str, day: date) -> str:
    return f"{where}, {tanggal(day)}"


def waktu(moment: datetime) -> str:
    """28 November 2026 16:14 WITA: the regency's local time, whatever the machine's zone."""
    local = moment.astimezone(regency_tz())
    return f"{tanggal(local.date())} {local:%H:%M} WITA"


def is_bsre(issuer: str) -> bool:
    lowered = issuer.casefold()
    return any(mark in lowered for mark in _BSRE_MARKS)


def footer(issuer: str, configured_authority: str) -> str:
    """The statement every signed letter carries (BSrE's wording for BSrE's certificates)."""
    authority = BSRE if is_bsre(issuer) else (configured_authority or issuer)
    return (
        "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik "
        f"yang diterbitkan oleh {authority}. Sesuai UU ITE, dokumen elektronik dan hasil "
        "cetaknya merupakan alat bukti hukum yang sah."
    )


def public_url(request_base: str, path: str) -> str:
    """An address for people outside (the QR code, shared links): on ``VERIFY_BASE_URL`` (the
    government's own domain) when configured, else where the request came in; relative when
    neither is known (a scheduled run)."""
    base = settings.get(settings.Signing).verify_base_url or request_base
    return f"{base.rstrip('/')}{path}"
