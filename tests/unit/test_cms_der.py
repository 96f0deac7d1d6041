"""DER in the signing core (``eoffice.signing.cms``): lengths are read as strict DER only, and a
CMS that is not strict DER still hashes uniquely."""

from __future__ import annotations

import hashlib

import pytest
from eoffice.signing import cms


# Strict DER lengths; a CMS that is not strict DER still hashes uniquely.
@pytest.mark.parametrize(
    "data",
    [
        bytes.fromhex("3080") + b"\x01" * 10,  # BER indefinite length
        bytes.fromhex("3085") + b"\x00\x00\x00\x00\x05" + b"\x01" * 5,  # five length bytes
        bytes.fromhex("3082ffff") + b"\x01" * 10,  # longer than the data
        bytes.fromhex("3005") + b"\x01" * 2,
        b"\x30",
    ],
)
def test_der_size_refuses_what_is_not_strict_der(data: bytes) -> None:
    with pytest.raises(ValueError):
        cms.der_size(data)


def test_der_size_reads_definite_lengths() -> None:
    assert cms.der_size(bytes.fromhex("3003010203") + bytes(10)) == 5
    body = bytes(300)
    assert cms.der_size(cms.der(0x30, body) + bytes(10)) == 304


def test_different_ber_signatures_never_share_a_hash() -> None:
    one = bytes.fromhex("3080") + b"\x01" * 8 + bytes(20)
    two = bytes.fromhex("3080") + b"\x02" * 8 + bytes(20)
    assert cms.cms_sha256(one) != cms.cms_sha256(two)
    definite = cms.der(0x30, b"\x01" * 8)
    assert cms.cms_sha256(definite + bytes(20)) == hashlib.sha256(definite).hexdigest()
