"""Which phone numbers a WhatsApp notice may go to, and how they are written for the gateway
(pure).

Employees give their mobile number as Indonesians write it: ``0812-3456-7890``,
``+62 812 3456 7890`` or ``62812...``. WhatsApp wants it in E.164 without the plus,
``6281234567890``. Only Indonesian mobile numbers are taken (``8`` after the country code,
9 to 12 digits after it, as operators issue them): a landline cannot receive a WhatsApp notice,
and a foreign number is not what an employee of the regency is reached on. Anything else is
refused with a reason a person can act on.
"""

from __future__ import annotations

COUNTRY_CODE = "62"
_SEPARATORS = str.maketrans("", "", " -.()/\u00a0")
_SHORTEST, _LONGEST = 9, 12  # digits of the national number after 0 / 62: 8xx...


class InvalidPhone(ValueError):
    """A number WhatsApp notices cannot go to; the message says why, in Bahasa Indonesia."""


def normalise(raw: str) -> str:
    """``raw`` as E.164 digits without the plus (``6281234567890``), or :class:`InvalidPhone`."""
    written = raw.strip().translate(_SEPARATORS)
    if not written:
        raise InvalidPhone("Nomor WhatsApp kosong.")
    if written.startswith("+"):
        if not written.startswith("+" + COUNTRY_CODE):
            raise InvalidPhone("Hanya nomor Indonesia (+62) yang dapat menerima notifikasi.")
        national = written[1 + len(COUNTRY_CODE) :]
    elif written.startswith(COUNTRY_CODE):
        national = written[len(COUNTRY_CODE) :]
    elif written.startswith("0"):
        national = written[1:]
    else:
        raise InvalidPhone("Tulis nomor dengan awalan 0, 62 atau +62, misalnya 0812-3456-7890.")
    if not national:
        raise InvalidPhone("Nomor WhatsApp tidak lengkap.")
    if not national.isascii() or not national.isdigit():
        raise InvalidPhone("Nomor WhatsApp hanya boleh berisi angka.")
    if not national.startswith("8"):
        raise InvalidPhone("Gunakan nomor seluler (08...), bukan nomor telepon rumah atau kantor.")
    if not _SHORTEST <= len(national) <= _LONGEST:
        raise InvalidPhone("Panjang nomor seluler tidak sesuai (10 sampai 13 angka, diawali 08).")
    return COUNTRY_CODE + national


def is_valid(raw: str) -> bool:
    try:
        normalise(raw)
    except InvalidPhone:
        return False
    return True


def masked(e164: str) -> str:
    """For a log line or an admin screen: the country code and the last three digits."""
    return f"{e164[:2]}{'*' * max(len(e164) - 5, 0)}{e164[-3:]}" if len(e164) > 5 else "***"
