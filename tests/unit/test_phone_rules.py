"""Which numbers a WhatsApp notice may go to, written as WhatsApp wants them (pure)."""

from __future__ import annotations

import re

import pytest
from eoffice.notifications.phone_rules import InvalidPhone, is_valid, masked, normalise

# Digits Python calls digits, that are not the ASCII ones a number is written with.
FULL_WIDTH = "".join(chr(0xFF10 + int(d)) for d in "081234567890")
ARABIC_INDIC = "08" + "".join(chr(0x0660 + int(d)) for d in "123456789")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("081234567890", "6281234567890"),
        ("0812-3456-7890", "6281234567890"),
        ("0812 3456 7890", "6281234567890"),
        ("(0812) 3456.7890", "6281234567890"),
        ("+6281234567890", "6281234567890"),
        ("+62 812-3456-7890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("  0811 4000 123 ", "628114000123"),
        ("\u00a00852\u00a01234\u00a05678", "6285212345678"),
        ("0812345678", "62812345678"),  # 10 digits: the shortest operators issue
        ("0812345678901", "62812345678901"),  # 13 digits: the longest
    ],
)
def test_an_indonesian_mobile_number_is_written_as_whatsapp_wants(
    written: str, expected: str
) -> None:
    assert normalise(written) == expected
    assert normalise(expected) == expected  # normalising twice changes nothing
    assert is_valid(written)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("", "kosong"),
        ("   ", "kosong"),
        ("+1 415 555 0100", "Hanya nomor Indonesia"),
        ("+6012 345 6789", "Hanya nomor Indonesia"),
        ("81234567890", "awalan 0, 62 atau +62"),
        ("0812-3456-789O", "hanya boleh berisi angka"),
        ("0812345678x", "hanya boleh berisi angka"),
        (FULL_WIDTH, "awalan 0, 62 atau +62"),
        (ARABIC_INDIC, "hanya boleh berisi angka"),
        ("0411-421234", "nomor seluler"),  # a landline in Malili
        ("+62 21 5551234", "nomor seluler"),
        ("0062812345678", "nomor seluler"),
        ("081234567", "Panjang nomor"),
        ("08123456789012", "Panjang nomor"),
        ("+62", "tidak lengkap"),
    ],
)
def test_other_numbers_are_refused_with_a_reason(written: str, reason: str) -> None:
    with pytest.raises(InvalidPhone, match=re.escape(reason)):
        normalise(written)
    assert not is_valid(written)


def test_a_masked_number_shows_only_its_country_code_and_last_digits() -> None:
    assert masked("6281234567890") == "62********890"
    assert masked("123") == "***"
