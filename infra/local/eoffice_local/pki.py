"""A throw-away certificate authority for tests and the local demo (never shipped).

A root, an intermediate that issues the signers, a TSA and an OCSP responder, built with plain
``cryptography``: enough to sign PAdES B-T/B-LT letters and to prove that verification tells a
trusted, a revoked, an expired and a foreign signer apart. The CA names are configurable so a
"BSrE-like" PKI can stand in for the national one (:func:`bsre_like_pki`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import (
    AuthorityInformationAccessOID,
    ExtendedKeyUsageOID,
    NameOID,
)

if TYPE_CHECKING:
    from asn1crypto import cms

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
CaName = Literal["root", "intermediate"]

_BACKDATE = timedelta(minutes=5)
_CRL_LIFETIME = timedelta(hours=1)


@dataclass(frozen=True)
class CaNames:
    """The distinguished names of the two CAs (issuer names are what verifiers show)."""

    organization: str
    root_common_name: str
    intermediate_common_name: str
    organizational_unit: str | None = None
    country: str = "ID"


def _name(common_name: str, organization: str | None, unit: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _now() -> datetime:
    return datetime.now(UTC)


def _uri(url: str) -> x509.UniformResourceIdentifier:
    return x509.UniformResourceIdentifier(url)


class Pki:
    """A root CA, an intermediate CA, a TSA certificate and an OCSP responder certificate.

    Every certificate issued here is remembered by serial: the OCSP responder needs the
    certificate object itself to answer for it.
    """

    def __init__(
        self,
        name: str = "Test",
        *,
        base_url: str,
        organization: str = "Pemerintah Kabupaten Luwu Timur (uji)",
        names: CaNames | None = None,
        rsa_bits: int = 2048,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.rsa_bits = rsa_bits
        self.names = names or CaNames(organization, f"{name} Root CA", f"{name} Intermediate CA")
        self._lock = threading.Lock()
        self._issued: dict[int, x509.Certificate] = {}
        self._revoked: dict[int, datetime] = {}
        self._root_key = self._new_rsa()
        self.root = self._make_root()
        self._intermediate_key = self._new_rsa()
        self.intermediate = self._make_intermediate()
        self.tsa_key = self._new_rsa()
        self.tsa_certificate = self._make_service(
            self.tsa_key, "TSA", ExtendedKeyUsageOID.TIME_STAMPING
        )
        self.ocsp_key = self._new_rsa()
        self.ocsp_certificate = self._make_service(
            self.ocsp_key, "OCSP", ExtendedKeyUsageOID.OCSP_SIGNING
        )
        self._timestamper: Any = None

    # -- building ---------------------------------------------------------------------------

    def _new_rsa(self) -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=self.rsa_bits)

    def _builder(
        self,
        subject: x509.Name,
        issuer: x509.Name,
        public_key: PublicKey,
        days: int,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> x509.CertificateBuilder:
        start = start or _now() - _BACKDATE
        end = end or start + timedelta(days=days)
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        )

    def _ca_subject(self, common_name: str) -> x509.Name:
        n = self.names
        return _name(common_name, n.organization, n.organizational_unit)

    def _make_root(self) -> x509.Certificate:
        subject = self._ca_subject(self.names.root_common_name)
        key = self._root_key
        builder = (
            self._builder(subject, subject, key.public_key(), 3650)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
        )
        return builder.sign(key, hashes.SHA256())

    def _make_intermediate(self) -> x509.Certificate:
        subject = self._ca_subject(self.names.intermediate_common_name)
        builder = (
            self._builder(subject, self.root.subject, self._intermediate_key.public_key(), 1825)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
            .add_extension(self._authority_key_id(self.root), critical=False)
            .add_extension(self._crl_dp("root"), critical=False)
        )
        certificate = builder.sign(self._root_key, hashes.SHA256())
        self._remember(certificate)
        return certificate

    def _make_service(
        self, key: rsa.RSAPrivateKey, role: str, usage: x509.ObjectIdentifier
    ) -> x509.Certificate:
        subject = self._ca_subject(f"{self.name} {role}")
        builder = (
            self._builder(subject, self.intermediate.subject, key.public_key(), 1825)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_signing_key_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=True)
            .add_extension(self._authority_key_id(self.intermediate), critical=False)
        )
        if role == "OCSP":
            builder = builder.add_extension(x509.OCSPNoCheck(), critical=False)
        else:
            builder = builder.add_extension(self._crl_dp("intermediate"), critical=False)
        certificate = builder.sign(self._intermediate_key, hashes.SHA256())
        self._remember(certificate)
        return certificate

    @staticmethod
    def _authority_key_id(issuer: x509.Certificate) -> x509.AuthorityKeyIdentifier:
        ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)

    def _crl_dp(self, ca: CaName) -> x509.CRLDistributionPoints:
        point = x509.DistributionPoint([_uri(self.crl_url(ca))], None, None, None)
        return x509.CRLDistributionPoints([point])

    def _remember(self, certificate: x509.Certificate) -> None:
        with self._lock:
            self._issued[certificate.serial_number] = certificate

    # -- URLs ---------------------------------------------------------------------------------

    @property
    def ocsp_url(self) -> str:
        return f"{self.base_url}/ocsp"

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/tsa"

    def crl_url(self, ca: CaName) -> str:
        return f"{self.base_url}/crl/{ca}.crl"

    # -- issuing ------------------------------------------------------------------------------

    def issue(
        self,
        public_key: PublicKey,
        *,
        common_name: str,
        organization: str | None = None,
        serial_number_attr: str | None = None,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        revocation_urls: bool = True,
    ) -> x509.Certificate:
        """A signer certificate (digitalSignature + nonRepudiation) from the intermediate."""
        attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")]
        if organization:
            attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
        if serial_number_attr:
            attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number_attr))
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
        start = not_before or _now() - _BACKDATE
        end = not_after or start + timedelta(days=730)
        builder = (
            self._builder(
                x509.Name(attributes), self.intermediate.subject, public_key, 0, start, end
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_signing_key_usage(), critical=True)
            .add_extension(self._authority_key_id(self.intermediate), critical=False)
        )
        if revocation_urls:
            aia = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, _uri(self.ocsp_url))
            builder = builder.add_extension(
                x509.AuthorityInformationAccess([aia]), critical=False
            ).add_extension(self._crl_dp("intermediate"), critical=False)
        certificate = builder.sign(self._intermediate_key, hashes.SHA256())
        self._remember(certificate)
        return certificate

    def issue_key(
        self, common_name: str, *, key_type: Literal["rsa", "ec"] = "rsa", **kw: Any
    ) -> tuple[PrivateKey, x509.Certificate]:
        """A fresh key and its certificate (``kw`` as for :meth:`issue`)."""
        key: PrivateKey
        key = self._new_rsa() if key_type == "rsa" else ec.generate_private_key(ec.SECP256R1())
        return key, self.issue(key.public_key(), common_name=common_name, **kw)

    def sign_csr(self, csr_pem_or_der: bytes, *, days: int = 730) -> x509.Certificate:
        """Issue for a CSR (e.g. one signed through KMS) after checking its signature."""
        if csr_pem_or_der.lstrip().startswith(b"-----"):
            request = x509.load_pem_x509_csr(csr_pem_or_der)
        else:
            request = x509.load_der_x509_csr(csr_pem_or_der)
        if not request.is_signature_valid:
            raise ValueError("the CSR's signature does not match its public key")
        public_key = request.public_key()
        if not isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise ValueError("only RSA and EC keys are supported")
        subject = request.subject
        common_name = _attribute(subject, NameOID.COMMON_NAME) or "Tanpa Nama"
        start = _now() - _BACKDATE
        return self.issue(
            public_key,
            common_name=common_name,
            organization=_attribute(subject, NameOID.ORGANIZATION_NAME),
            serial_number_attr=_attribute(subject, NameOID.SERIAL_NUMBER),
            not_before=start,
            not_after=start + timedelta(days=days),
        )

    # -- revocation ---------------------------------------------------------------------------

    def revoke(self, certificate: x509.Certificate) -> None:
        with self._lock:
            self._issued.setdefault(certificate.serial_number, certificate)
            self._revoked.setdefault(certificate.serial_number, _now() - timedelta(seconds=1))

    def is_revoked(self, serial: int) -> bool:
        with self._lock:
            return serial in self._revoked

    def crl(self, ca: CaName) -> bytes:
        """A fresh DER CRL: the root's lists revoked CAs, the intermediate's revoked signers."""
        issuer = self.root if ca == "root" else self.intermediate
        key = self._root_key if ca == "root" else self._intermediate_key
        now = _now()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer.subject)
            .last_update(now - _BACKDATE)
            .next_update(now + _CRL_LIFETIME)
            .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
            .add_extension(self._authority_key_id(issuer), critical=False)
        )
        with self._lock:
            revoked = [
                (serial, when)
                for serial, when in self._revoked.items()
                if self._issued[serial].issuer == issuer.subject
            ]
        for serial, when in revoked:
            entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
            builder = builder.add_revoked_certificate(entry.build())
        return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def ocsp_response(self, request_der: bytes) -> bytes:
        """Answer for a certificate issued by the intermediate, signed by the OCSP responder."""
        try:
            request = ocsp.load_der_ocsp_request(request_der)
        except ValueError:
            return _ocsp_failure(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        with self._lock:
            certificate = self._issued.get(request.serial_number)
            revoked_at = self._revoked.get(request.serial_number)
        if certificate is None or certificate.issuer != self.intermediate.subject:
            return _ocsp_failure(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        now = _now()
        status = ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=certificate,
                issuer=self.intermediate,
                algorithm=_hash_by_name(request.hash_algorithm.name),
                cert_status=status,
                this_update=now - _BACKDATE,
                next_update=now + _CRL_LIFETIME,
                revocation_time=revoked_at,
                revocation_reason=None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.ocsp_certificate)
            .certificates([self.ocsp_certificate])
        )
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        response = builder.sign(self.ocsp_key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    # -- time stamps --------------------------------------------------------------------------

    def timestamp_response(self, request_der: bytes) -> bytes:
        """An RFC 3161 answer (DER ``TimeStampResp``) for a DER ``TimeStampReq``."""
        from asn1crypto import tsp

        answer = self._dummy_timestamper().request_tsa_response(tsp.TimeStampReq.load(request_der))
        data: bytes = answer.dump()
        return data

    def _dummy_timestamper(self) -> Any:
        with self._lock:
            if self._timestamper is None:
                self._timestamper = _make_timestamper(self)
            return self._timestamper

    # -- exports ------------------------------------------------------------------------------

    def pkcs12(self, key: PrivateKey, certificate: x509.Certificate, password: bytes) -> bytes:
        """A PKCS#12 blob with the key, its certificate and the intermediate."""
        encryption = serialization.BestAvailableEncryption(password)
        return pkcs12.serialize_key_and_certificates(
            b"signer", key, certificate, [self.intermediate], encryption
        )

    def chain_pem(self, certificate: x509.Certificate) -> bytes:
        """Leaf then intermediate, PEM (what a key store keeps next to a key)."""
        return b"".join(
            c.public_bytes(serialization.Encoding.PEM) for c in (certificate, self.intermediate)
        )

    @property
    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


def bsre_like_pki(base_url: str, *, rsa_bits: int = 2048) -> Pki:
    """A PKI whose names look like BSrE's (issuer O = BSSN, CN contains "BSrE")."""
    names = CaNames(
        organization="Badan Siber dan Sandi Negara",
        organizational_unit="Balai Sertifikasi Elektronik",
        root_common_name="Root CA BSrE Uji",
        intermediate_common_name="OSD BSrE Uji",
    )
    return Pki("BSrE", base_url=base_url, names=names, rsa_bits=rsa_bits)


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _signing_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _hash_by_name(name: str) -> hashes.HashAlgorithm:
    known: dict[str, hashes.HashAlgorithm] = {
        "sha1": hashes.SHA1(),  # noqa: S303 - OCSP CertIDs still use SHA-1 by default
        "sha256": hashes.SHA256(),
        "sha384": hashes.SHA384(),
        "sha512": hashes.SHA512(),
    }
    return known.get(name, hashes.SHA256())


def _ocsp_failure(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER
    )


def _make_timestamper(pki: Pki) -> Any:
    """pyHanko's DummyTimeStamper, keeping its ``cryptography`` key loaded (it re-parses the
    key on every token otherwise, which is slow: docs/performance.md)."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    tsa_key = pki.tsa_key

    class _KeptKeyTimeStamper(DummyTimeStamper):
        def _sign_tst_info(
            self, tst_info_data: bytes, md_algorithm: str, dt: datetime
        ) -> tuple[bytes, cms.CMSAttributes]:
            signed_attrs = _tst_signed_attrs(self.tsa_cert, tst_info_data, md_algorithm, dt)
            signature = tsa_key.sign(
                signed_attrs.dump(), padding.PKCS1v15(), _hash_by_name(md_algorithm)
            )
            return signature, signed_attrs

    der = serialization.Encoding.DER
    private_der = tsa_key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return _KeptKeyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(pki.tsa_certificate.public_bytes(der)),
        tsa_key=keys.PrivateKeyInfo.load(private_der),
        certs_to_embed=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(pki.intermediate.public_bytes(der))]
        ),
    )


def _tst_signed_attrs(
    tsa_cert: Any, tst_info_data: bytes, md_algorithm: str, dt: datetime
) -> cms.CMSAttributes:
    from asn1crypto import cms, core
    from pyhanko.sign import general

    digest = hashes.Hash(_hash_by_name(md_algorithm))
    digest.update(tst_info_data)
    return cms.CMSAttributes(
        [
            general.simple_cms_attribute("content_type", "tst_info"),
            general.simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            general.simple_cms_attribute(
                "signing_certificate", general.as_signing_certificate(tsa_cert)
            ),
            general.simple_cms_attribute("message_digest", digest.finalize()),
        ]
    )
