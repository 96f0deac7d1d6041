"""The PAdES CMS signature, concatenated from DER prepared once per certificate.

Building the same SignedData with asn1crypto objects is slow (docs/performance.md, Signing);
everything but the document digest, the signature value and the time-stamp token is the same for every
letter a key signs, so it is encoded once per process and the rest is byte concatenation.

Signed attributes (PAdES baseline, ETSI EN 319 142-1): content-type, message-digest and
signing-certificate-v2; no signing-time (PAdES carries it in the signature dictionary's /M).
Unsigned attribute: signature-time-stamp-token (level B-T).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos, cms, tsp, x509

from eoffice.signing.backends.base import KeyMaterial

_SET, _SEQUENCE, _OCTETS = 0x31, 0x30, 0x04
_SIGNED_ATTRS, _UNSIGNED_ATTRS, _EXPLICIT_0 = 0xA0, 0xA1, 0xA0
_SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")
_TIMESTAMP_TOKEN_OID = bytes.fromhex("060b2a864886f70d010910020e")
_VERSION_1 = bytes.fromhex("020101")
_MAX_HEADER = 6  # tag + up to 5 length bytes
_MAX_LENGTH_BYTES = 4
DIGEST_SIZE = 32


def der(tag: int, body: bytes) -> bytes:
    """One DER TLV (definite length)."""
    size = len(body)
    if size < 0x80:
        return bytes((tag, size)) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(length))) + length + body


def der_size(data: bytes) -> int:
    """Length of the first TLV in ``data`` (a signature's /Contents is padded with zeros).

    Strict DER: ValueError for BER indefinite length (0x80), more than four length bytes (no
    signature is 4 GiB) or a length beyond ``data``, so no malformed value is cut short."""
    if len(data) < 2:
        raise ValueError("not a DER value")
    first = data[1]
    if first < 0x80:
        size = 2 + first
    else:
        count = first & 0x7F
        if count == 0 or count > _MAX_LENGTH_BYTES:
            raise ValueError("not a definite DER length")
        size = 2 + count + int.from_bytes(data[2 : 2 + count], "big")
    if size > len(data):
        raise ValueError("the DER value is longer than its data")
    return size


def tst_info(token: Any) -> Any:
    """The TSTInfo inside an RFC 3161 timestamp token (a ``cms.ContentInfo``): its time
    (``gen_time``) and the imprint it stamps."""
    return token["content"]["encap_content_info"]["content"].parsed


def cms_sha256(contents: bytes) -> str:
    """SHA-256 of a signature's CMS without the /Contents padding: recognises our signatures.

    A CMS that is not strict DER (BER, truncated) is hashed whole, padding included: still
    the same for the same signature, and never one hash for different signatures."""
    try:
        size = der_size(contents)
    except ValueError:
        size = len(contents)
    return hashlib.sha256(contents[:size]).hexdigest()


@dataclass(frozen=True)
class CmsTemplate:
    """The constant DER of one signer's CMS; see the module docstring."""

    fixed_attributes: tuple[bytes, ...]
    """content-type and signing-certificate-v2, each a complete Attribute."""
    digest_prefix: bytes
    """The message-digest Attribute up to its 32 digest bytes."""
    signed_data_head: bytes
    """SignedData: version, digestAlgorithms, encapContentInfo, [0] certificates."""
    signer_info_head: bytes
    """SignerInfo: version, sid, digestAlgorithm."""
    signature_algorithm: bytes

    def signed_attributes(self, document_digest: bytes) -> bytes:
        """The DER SET OF signed attributes, which is what the key signs."""
        if len(document_digest) != DIGEST_SIZE:
            raise ValueError("the document digest must be SHA-256")
        attrs = sorted((*self.fixed_attributes, self.digest_prefix + document_digest))
        return der(_SET, b"".join(attrs))

    def signed_data(self, signed_attrs: bytes, signature: bytes, token: bytes | None) -> bytes:
        """The ContentInfo DER: ``signed_attrs`` as returned above, ``token`` a TST ContentInfo."""
        parts = [
            self.signer_info_head,
            bytes((_SIGNED_ATTRS,)) + signed_attrs[1:],  # [0] IMPLICIT instead of SET
            self.signature_algorithm,
            der(_OCTETS, signature),
        ]
        if token is not None:
            attribute = der(_SEQUENCE, _TIMESTAMP_TOKEN_OID + der(_SET, token))
            parts.append(der(_UNSIGNED_ATTRS, attribute))
        signer_info = der(_SEQUENCE, b"".join(parts))
        signed_data = der(_SEQUENCE, self.signed_data_head + der(_SET, signer_info))
        return der(_SEQUENCE, _SIGNED_DATA_OID + der(_EXPLICIT_0, signed_data))

    def size_bound(self, signature_size: int, token_size: int) -> int:
        """An upper bound of :meth:`signed_data`'s length in bytes."""
        attrs = sum(map(len, self.fixed_attributes)) + len(self.digest_prefix) + DIGEST_SIZE
        body = (
            len(self.signed_data_head)
            + len(self.signer_info_head)
            + len(self.signature_algorithm)
            + len(_SIGNED_DATA_OID)
            + len(_TIMESTAMP_TOKEN_OID)
            + attrs
            + signature_size
            + token_size
        )
        return body + 10 * _MAX_HEADER


def template(key: KeyMaterial) -> CmsTemplate:
    """The cached template of ``key``'s certificate, chain and mechanism."""
    chain = tuple(c.dump() for c in key.chain)
    return _template(key.certificate.dump(), chain, key.mechanism)


@functools.lru_cache(maxsize=64)
def _template(certificate: bytes, chain: Sequence[bytes], mechanism: str) -> CmsTemplate:
    cert = x509.Certificate.load(certificate)
    digest_algorithm = algos.DigestAlgorithm({"algorithm": "sha256"}).dump()
    blank_digest = _attribute("message_digest", bytes(DIGEST_SIZE))
    head = [
        _VERSION_1,
        der(_SET, digest_algorithm),
        cms.EncapsulatedContentInfo({"content_type": "data"}).dump(),
        der(_SIGNED_ATTRS, certificate + b"".join(chain)),  # [0] IMPLICIT CertificateSet
    ]
    sid = cms.SignerIdentifier(
        {"issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}}
    )
    return CmsTemplate(
        fixed_attributes=(_attribute("content_type", "data"), _signing_certificate_v2(cert)),
        digest_prefix=blank_digest[:-DIGEST_SIZE],
        signed_data_head=b"".join(head),
        signer_info_head=_VERSION_1 + sid.dump() + digest_algorithm,
        signature_algorithm=algos.SignedDigestAlgorithm({"algorithm": mechanism}).dump(),
    )


def _attribute(kind: str, value: object) -> bytes:
    data: bytes = cms.CMSAttribute({"type": kind, "values": [value]}).dump()
    return data


def _signing_certificate_v2(cert: x509.Certificate) -> bytes:
    """ESS signing-certificate-v2 (RFC 5035): binds the signature to this very certificate."""
    issuer_serial = {
        "issuer": [x509.GeneralName({"directory_name": cert.issuer})],
        "serial_number": cert.serial_number,
    }
    ess_id = tsp.ESSCertIDv2(  # hash algorithm: the default, SHA-256 (DER omits it)
        {
            "cert_hash": hashlib.sha256(cert.dump()).digest(),
            "issuer_serial": issuer_serial,
        }
    )
    return _attribute("signing_certificate_v2", tsp.SigningCertificateV2({"certs": [ess_id]}))
