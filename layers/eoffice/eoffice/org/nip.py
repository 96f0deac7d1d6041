"""NIP (Nomor Induk Pegawai), the 18-digit civil-servant number.

Layout (BKN): birth date YYYYMMDD, appointment (TMT CPNS) YYYYMM, sex (1 male, 2 female), and a
three-digit sequence. Checking the parts catches most typing errors in a bulk import.
"""

from __future__ import annotations

import re
from datetime import date

_NIP = re.compile(r"^\d{18}$")


def nip_problem(nip: str) -> str | None:
    """Why ``nip`` is not a valid NIP, or None when it is."""
    if not _NIP.match(nip):
        return "NIP must be exactly 18 digits"
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return "NIP digits 1-8 must be a birth date (YYYYMMDD)"
    if born.year < 1940:
        return "NIP birth year is implausible"
    appointed_year, appointed_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= appointed_month <= 12 or appointed_year < born.year + 15:
        return "NIP digits 9-14 must be the appointment month (YYYYMM), after age 15"
    if nip[14] not in "12":
        return "NIP digit 15 must be 1 (male) or 2 (female)"
    if nip[15:] == "000":
        return "NIP sequence (digits 16-18) cannot be 000"
    return None


def validate_nip(nip: str) -> str:
    """Pydantic validator: return ``nip`` or raise ValueError with the reason."""
    problem = nip_problem(nip)
    if problem:
        raise ValueError(problem)
    return nip
