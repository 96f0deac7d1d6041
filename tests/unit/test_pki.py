"""The test PKI and its HTTP services behave like a real CA's: chains, CSRs, revocation, TSA."""

from __future__ import annotations

import asyncio
import os
import time
import urllib.error
import urllib.request

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID
from eoffice_local.pki import Pki, bsre_like_pki
from eoffice_local.pki_server import PkiServer
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import RevokedError
from support.pades import sign_bt, simple_signer, validate_signatures
from support.pdfs import one_page_pdf
from support.pki import PkiEnv, asn1_certificate

USAGE = {"digital_signature", "non_repudiation"}


def _post(url: str, body: bytes, content_type: str, timeout: float = 5.0) -> bytes:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
        data: bytes = answer.read()
        return data


def _get(url: str, timeout: float = 5.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310
        data: bytes = answer.read()
        return data


def _validate_online(pki: Pki, certificate: x509.Certificate) -> None:
    """Path validation to the root, fetching OCSP and CRLs from the served URLs (hard-fail)."""
    context = ValidationContext(
        trust_roots=[asn1_certificate(pki.root)],
        allow_fetching=True,
        revocation_mode="hard-fail",
    )
    validator = CertificateValidator(
        asn1_certificate(certificate),
        intermediate_certs=[asn1_certificate(pki.intermediate)],
        validation_context=context,
    )
    asyncio.run(validator.async_validate_usage(USAGE))


def _ocsp_request(pki: Pki, certificate: x509.Certificate) -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(
        certificate,
        pki.intermediate,
        hashes.SHA1(),  # noqa: S303 - the CertID hash most OCSP clients send
    )
    builder = builder.add_extension(x509.OCSPNonce(os.urandom(16)), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


def test_issued_certificates_chain_to_the_root_and_pass_revocation_checks(pki_env: PkiEnv) -> None:
    key, certificate = pki_env.signer("Andi Baso, S.Kom.")
    certificate.verify_directly_issued_by(pki_env.pki.intermediate)
    pki_env.pki.intermediate.verify_directly_issued_by(pki_env.pki.root)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert key.public_key() == certificate.public_key()

    _validate_online(pki_env.pki, certificate)  # OCSP and CRL over HTTP, hard-fail

    assert pki_env.server.requests["/ocsp"] >= 1
    assert pki_env.server.requests["/crl/root.crl"] >= 1


def test_an_ec_signer_and_subject_details(pki_env: PkiEnv) -> None:
    key, certificate = pki_env.pki.issue_key(
        "Dra. Hj. Sitti", key_type="ec", organization="Dinas Kominfo", serial_number_attr="1970"
    )
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "1970"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Dinas Kominfo"
    certificate.verify_directly_issued_by(pki_env.pki.intermediate)


def test_a_foreign_pki_does_not_chain_to_the_trusted_root(pki_env: PkiEnv) -> None:
    _, certificate = pki_env.foreign.issue_key("Orang Asing")
    with pytest.raises(ValueError):
        certificate.verify_directly_issued_by(pki_env.pki.intermediate)
    assert pki_env.foreign.root.subject != pki_env.pki.root.subject


def test_a_csr_is_issued_for_its_own_key_and_a_forged_one_refused(pki_env: PkiEnv) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Segel Dinas Kominfo"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, "198807192011012006"),
        ]
    )
    csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())

    certificate = pki_env.pki.sign_csr(csr.public_bytes(serialization.Encoding.PEM), days=30)

    assert certificate.public_key() == key.public_key()
    assert certificate.subject.rfc4514_string() == (
        "CN=Segel Dinas Kominfo,2.5.4.5=198807192011012006,C=ID"
    )
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert lifetime.days == 30
    der = bytearray(csr.public_bytes(serialization.Encoding.DER))
    der[-5] ^= 0xFF  # inside the signature
    with pytest.raises(ValueError, match="signature"):
        pki_env.pki.sign_csr(bytes(der))


def test_revocation_shows_in_the_crl_and_ocsp(pki_env: PkiEnv) -> None:
    pki = pki_env.pki
    _, revoked = pki.issue_key("Pegawai Dicabut")
    _, good = pki.issue_key("Pegawai Aktif")
    pki.revoke(revoked)

    crl = x509.load_der_x509_crl(_get(pki.crl_url("intermediate")))
    assert crl.is_signature_valid(pki.intermediate.public_key())  # type: ignore[arg-type]
    assert crl.get_revoked_certificate_by_serial_number(revoked.serial_number) is not None
    assert crl.get_revoked_certificate_by_serial_number(good.serial_number) is None
    assert pki.is_revoked(revoked.serial_number) and not pki.is_revoked(good.serial_number)

    request = _ocsp_request(pki, revoked)
    answer = ocsp.load_der_ocsp_response(_post(pki.ocsp_url, request, "application/ocsp-request"))
    assert answer.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status == ocsp.OCSPCertStatus.REVOKED
    sent_nonce = ocsp.load_der_ocsp_request(request).extensions.get_extension_for_class(
        x509.OCSPNonce
    )
    assert answer.extensions.get_extension_for_class(x509.OCSPNonce).value == sent_nonce.value
    good_answer = ocsp.load_der_ocsp_response(
        _post(pki.ocsp_url, _ocsp_request(pki, good), "application/ocsp-request")
    )
    assert good_answer.certificate_status == ocsp.OCSPCertStatus.GOOD

    with pytest.raises(RevokedError):
        _validate_online(pki, revoked)


def test_ocsp_refuses_certificates_it_did_not_issue(pki_env: PkiEnv) -> None:
    _, stranger = pki_env.foreign.issue_key("Orang Asing")
    request = ocsp.OCSPRequestBuilder().add_certificate(
        stranger, pki_env.foreign.intermediate, hashes.SHA256()
    )
    der = request.build().public_bytes(serialization.Encoding.DER)
    answer = ocsp.load_der_ocsp_response(
        _post(pki_env.pki.ocsp_url, der, "application/ocsp-request")
    )
    assert answer.response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED


def test_the_tsa_token_is_accepted_by_pyhanko(pki_env: PkiEnv) -> None:
    key, certificate = pki_env.signer("Kepala Dinas")
    before = pki_env.server.requests["/tsa"]

    signed = sign_bt(one_page_pdf(), simple_signer(key, certificate, pki_env.pki), pki_env.tsa_url)

    (status,) = validate_signatures(signed, [pki_env.pki.root])
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted
    assert pki_env.server.requests["/tsa"] > before
    (foreign_view,) = validate_signatures(signed, [pki_env.foreign.root])
    assert foreign_view.intact and not foreign_view.trusted


def test_refuse_mode_answers_503_for_each_service(pki_env: PkiEnv, pki_knobs: PkiServer) -> None:
    pki_knobs.ocsp_mode = pki_knobs.crl_mode = pki_knobs.tsa_mode = "refuse"
    for call in (
        lambda: _get(pki_env.pki.crl_url("intermediate")),
        lambda: _post(pki_env.pki.ocsp_url, b"", "application/ocsp-request"),
        lambda: _post(pki_env.tsa_url, b"", "application/timestamp-query"),
    ):
        with pytest.raises(urllib.error.HTTPError) as raised:
            call()
        assert raised.value.code == 503
    assert pki_knobs.requests["/ocsp"] == 1 and pki_knobs.requests["/tsa"] == 1


def test_hang_mode_makes_clients_time_out_until_released(
    pki_env: PkiEnv, pki_knobs: PkiServer
) -> None:
    pki_knobs.ocsp_mode = "hang"
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        _post(pki_env.pki.ocsp_url, b"", "application/ocsp-request", timeout=0.3)
    assert time.monotonic() - started < 3
    assert pki_knobs.requests["/ocsp"] == 1

    pki_knobs.reset()  # releases the hanging handler; answers again
    answer = _get(pki_env.pki.crl_url("root"))
    assert x509.load_der_x509_crl(answer).issuer == pki_env.pki.root.subject


def test_pkcs12_and_pem_exports(pki_env: PkiEnv) -> None:
    key, certificate = pki_env.signer("Sekretaris Daerah")
    blob = pki_env.pki.pkcs12(key, certificate, b"rahasia-uji")
    loaded = pkcs12.load_pkcs12(blob, b"rahasia-uji")
    assert loaded.cert is not None and loaded.cert.certificate == certificate
    assert [c.certificate for c in loaded.additional_certs] == [pki_env.pki.intermediate]
    assert b"rahasia-uji" not in blob
    chain = x509.load_pem_x509_certificates(pki_env.pki.chain_pem(certificate))
    assert chain == [certificate, pki_env.pki.intermediate]
    assert x509.load_pem_x509_certificate(pki_env.pki.root_pem) == pki_env.pki.root


def test_a_bsre_like_pki_carries_bsre_names() -> None:
    with PkiServer() as server:
        pki = bsre_like_pki(server.base_url)
        _, certificate = pki.issue_key("Budi Santoso", serial_number_attr="7371010101800001")
    issuer = certificate.issuer.rfc4514_string()
    assert "BSrE" in issuer and "O=Badan Siber dan Sandi Negara" in issuer
    assert "Balai Sertifikasi Elektronik" in issuer
