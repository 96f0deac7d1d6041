"""Review findings in the signing core: each test failed before its fix."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from asn1crypto import tsp
from eoffice.signing import cms, pades, tsa
from eoffice.signing.backends.local import LocalKey, _ordered_chain
from eoffice.signing.verify import verify_pdf
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from support.pdfs import one_page_pdf
from support.pki import PkiEnv, asn1_certificate


def _key(env: PkiEnv, name: str) -> LocalKey:
    key, cert = env.signer(name, "ec")
    return LocalKey(key, asn1_certificate(cert), [asn1_certificate(env.pki.intermediate)])


def _roots(env: PkiEnv) -> tuple[Any, ...]:
    return (asn1_certificate(env.pki.root),)


# 1. A TSA whose certificate does not chain to the trust roots: B-T, not a crash.
def test_tsa_outside_the_trust_roots_gives_bt_with_its_token_untrusted(pki_env: PkiEnv) -> None:
    long_term = pades.LongTerm(_roots(pki_env), timeout=2.0)
    signed = pades.sign_pdf(
        one_page_pdf(),
        _key(pki_env, "TSA Asing"),
        tsa_url=pki_env.foreign_server.tsa_url,
        visible=None,
        long_term=long_term,
    )
    assert signed.level == "B-T"
    (sig,) = verify_pdf(signed.pdf, list(_roots(pki_env))).signatures
    assert sig.intact and sig.trusted
    assert sig.timestamp is not None and sig.timestamp.intact and not sig.timestamp.trusted


# 2. The chain of a PKCS#12 or PEM bundle in any order, with duplicates and strangers.
def test_chain_is_ordered_from_the_leaf_and_strangers_are_dropped(pki_env: PkiEnv) -> None:
    root, inter = asn1_certificate(pki_env.pki.root), asn1_certificate(pki_env.pki.intermediate)
    stranger = asn1_certificate(pki_env.foreign.intermediate)
    _, cert = pki_env.signer("Urutan", "ec")
    leaf = asn1_certificate(cert)
    ordered = _ordered_chain(leaf, [root, stranger, inter, inter, leaf])
    assert [c.sha256 for c in ordered] == [inter.sha256, root.sha256]
    assert _ordered_chain(leaf, [stranger]) == []


def test_pem_chain_root_first_loads_leaf_to_root(pki_env: PkiEnv) -> None:
    from cryptography.hazmat.primitives import serialization

    key, cert = pki_env.signer("PEM", "ec")
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    bundle = pki_env.pki.root.public_bytes(pem) + pki_env.pki.intermediate.public_bytes(pem)
    loaded = LocalKey.from_pem(key_pem, cert.public_bytes(pem), bundle)
    names = [c.subject.native["common_name"] for c in loaded.chain]
    assert names == ["Test Intermediate CA", "Test Root CA"]


# 3. One garbled signature is reported broken; the others are still reported.
def _garble_last_signature(pdf: bytes) -> bytes:
    start = pdf.rindex(b"/Contents <") + len(b"/Contents <")
    return pdf[:start] + b"3082FFFF0601" + pdf[start + 12 :]


def test_garbled_signature_is_reported_and_the_others_still_checked(pki_env: PkiEnv) -> None:
    first = pades.sign_pdf(
        one_page_pdf(), _key(pki_env, "Pertama"), tsa_url=pki_env.tsa_url, visible=None
    )
    second = pades.sign_pdf(
        first.pdf, _key(pki_env, "Kedua"), tsa_url=pki_env.tsa_url, visible=None
    )
    report = verify_pdf(_garble_last_signature(second.pdf), list(_roots(pki_env)))

    assert report.signature_count == 2 and not report.all_valid
    good, broken = report.signatures
    assert good.field_name == first.field_name and good.intact and good.trusted
    assert good.cms_sha256 == first.cms_sha256
    assert broken.field_name == second.field_name and broken.summary.startswith("ERROR")
    assert broken.trust_problem == "invalid_signature" and not broken.bottom_line
    assert len(broken.cms_sha256) == 64


def test_a_document_with_only_a_garbled_signature_is_still_a_report(pki_env: PkiEnv) -> None:
    signed = pades.sign_pdf(
        one_page_pdf(), _key(pki_env, "Satu"), tsa_url=pki_env.tsa_url, visible=None
    )
    start = signed.pdf.rindex(b"/Contents <") + len(b"/Contents <")
    zeroed = signed.pdf[:start] + b"00" + signed.pdf[start + 2 :]
    (entry,) = verify_pdf(zeroed, list(_roots(pki_env))).signatures
    assert entry.trust_problem == "invalid_signature" and entry.notes


# 4. add_long_term: revoked is an error of its own, unreachable stays None.
def test_add_long_term_refuses_a_revoked_certificate(pki_env: PkiEnv) -> None:
    from cryptography import x509

    key = _key(pki_env, "Dicabut Nanti")
    signed = pades.sign_pdf(one_page_pdf(), key, tsa_url=pki_env.tsa_url, visible=None)
    pki_env.pki.revoke(x509.load_der_x509_certificate(key.certificate.dump()))
    with pytest.raises(pades.CertificateUnusable) as refused:
        pades.add_long_term(signed.pdf, pades.LongTerm(_roots(pki_env), timeout=2.0))
    assert "http" not in str(refused.value)


# 5. Strict DER lengths; a CMS that is not strict DER still hashes uniquely.
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


# 7. A time-stamp token for another hash is not embedded.
class _WrongImprintStamper(tsa.UrllibTimeStamper):
    """A real TSA asked to time-stamp something else than what it was given."""

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        if req["message_imprint"]["hashed_message"].native != bytes(32):  # not the dummy
            req = req.copy()
            req["message_imprint"]["hashed_message"] = hashlib.sha256(b"lain").digest()
        return await super().async_request_tsa_response(req)


def test_a_token_for_another_hash_fails_the_signature(
    pki_env: PkiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamper = _WrongImprintStamper(pki_env.tsa_url)
    monkeypatch.setattr(pades, "timestamper", lambda url: stamper)
    with pytest.raises(pades.SigningFailed) as failed:
        pades.sign_pdf(one_page_pdf(), _key(pki_env, "Imprint"), tsa_url="http://x/", visible=None)
    assert str(failed.value) == "the timestamp authority answered with an error"


# 8. Client-safe messages; an HTTP-level failure of the TSA is a TimestampRequestError.
def test_signing_failed_messages_name_no_url(pki_env: PkiEnv, pki_knobs: Any) -> None:
    key = _key(pki_env, "Pesan")
    unreachable = "http://127.0.0.1:9/rahasia-tsa"
    with pytest.raises(pades.SigningFailed) as silent:
        pades.sign_pdf(one_page_pdf(), key, tsa_url=unreachable, visible=None)
    assert str(silent.value) == "the timestamp authority did not answer"

    pki_knobs.tsa_mode = "refuse"
    with pytest.raises(pades.SigningFailed) as error:
        pades.sign_pdf(one_page_pdf(), key, tsa_url=pki_env.tsa_url, visible=None)
    assert str(error.value) == "the timestamp authority answered with an error"


@pytest.fixture
def garbling_server() -> Iterator[str]:
    """Answers every connection with a line that is not HTTP (``http.client.BadStatusLine``)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/tsa"
    listener.close()


def test_a_tsa_speaking_no_http_is_a_timestamp_request_error(garbling_server: str) -> None:
    import asyncio

    stamper = tsa.UrllibTimeStamper(garbling_server, timeout=2.0)
    request = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": bytes(32),
            },
            "cert_req": True,
        }
    )
    with pytest.raises(TimestampRequestError):
        asyncio.run(stamper.async_request_tsa_response(request))
