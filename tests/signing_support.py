"""Shared pieces of the signing tests: a served test PKI and test letters.

Registered as a pytest plugin by ``tests/conftest.py`` (``pytest_plugins``), so any test can
ask for ``pki_env`` or ``pki_knobs``; helpers are imported with ``from signing_support import
one_page_pdf``. Heavy libraries are imported inside the helpers: every test session loads
this module.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pytest

if TYPE_CHECKING:
    from cryptography import x509
    from eoffice_local.pki import Pki, PrivateKey
    from eoffice_local.pki_server import PkiServer

LETTER_TEXT = (
    "Dengan hormat, bersama ini kami sampaikan undangan rapat koordinasi transformasi digital "
    "pemerintah daerah yang akan dilaksanakan pada hari Senin, 30 November 2026, pukul 09.00 "
    "WITA, bertempat di Ruang Rapat Sekretariat Daerah Kabupaten Luwu Timur, Malili. "
    "Demikian disampaikan, atas perhatiannya diucapkan terima kasih."
)


@dataclass
class PkiEnv:
    """A served test PKI (``pki`` on ``server``) and an unrelated one (``foreign``)."""

    server: PkiServer
    pki: Pki
    foreign_server: PkiServer
    foreign: Pki

    @property
    def tsa_url(self) -> str:
        return self.server.tsa_url

    def signer(
        self, common_name: str, key_type: Literal["rsa", "ec"] = "rsa"
    ) -> tuple[PrivateKey, x509.Certificate]:
        """A fresh key and certificate from the trusted PKI (OCSP and CRL URLs included)."""
        return self.pki.issue_key(common_name, key_type=key_type)


@pytest.fixture(scope="session")
def pki_env() -> Iterator[PkiEnv]:
    """One PKI per test process (xdist worker); its services run on 127.0.0.1."""
    from eoffice_local.pki import Pki
    from eoffice_local.pki_server import PkiServer

    server = PkiServer()
    foreign_server = PkiServer()
    env = PkiEnv(
        server=server,
        pki=Pki("Test", base_url=server.base_url),
        foreign_server=foreign_server,
        foreign=Pki("Asing", base_url=foreign_server.base_url, organization="Lembaga Asing"),
    )
    server.serve(env.pki)
    foreign_server.serve(env.foreign)
    yield env
    server.stop()
    foreign_server.stop()


@pytest.fixture
def pki_knobs(pki_env: PkiEnv) -> Iterator[PkiServer]:
    """The trusted PKI's server for a test that changes its modes; reset afterwards."""
    pki_env.server.reset()
    yield pki_env.server
    pki_env.server.reset()


def one_page_pdf(text: str = LETTER_TEXT, *, title: str = "UNDANGAN") -> bytes:
    """A one-page A4 letter of the regency (Helvetica, with room at the bottom for signatures)."""
    from eoffice_local.sample_letters import plain_letter

    return plain_letter(text, title=title)


def render_page(pdf: bytes, dpi: int, page: int = -1) -> Any:
    """Page ``page`` (the last by default) as a greyscale PIL image at ``dpi``, as pdfium (the
    engine of Chrome's PDF viewer) draws it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    document.init_forms()  # signature marks are form widgets: drawn only with forms loaded
    try:
        bitmap = document[page % len(document)].render(scale=dpi / 72, grayscale=True)
        return bitmap.to_pil().convert("L")
    finally:
        document.close()


def page_texts(pdf: bytes) -> list[str]:
    """The text of every page as two readers extract it: pypdf, and pdfium (what a viewer's
    search, copy and screen reader get)."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    texts = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            texts.append(page.get_textpage().get_text_range())
    finally:
        document.close()
    return texts


def big_scan_pdf(megabytes: float = 5) -> bytes:
    """A PDF of about ``megabytes`` MB: A4 pages each holding a random-noise JPEG "scan"."""
    from fpdf import FPDF
    from PIL import Image

    target = int(megabytes * 1024 * 1024)
    pdf = FPDF(format="A4", unit="pt")
    size = 0
    while size < target:
        width, height = 620, 877
        noise = Image.frombytes("L", (width, height), os.urandom(width * height))
        jpeg = io.BytesIO()
        noise.save(jpeg, format="JPEG", quality=85)
        pdf.add_page()
        pdf.image(io.BytesIO(jpeg.getvalue()), x=0, y=0, w=595, h=842)
        size += jpeg.tell()
    return bytes(pdf.output())


def asn1_certificate(certificate: x509.Certificate) -> Any:
    """The ``asn1crypto`` form pyHanko wants of a ``cryptography`` certificate."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def simple_signer(key: PrivateKey, certificate: x509.Certificate, pki: Pki) -> Any:
    """pyHanko's stock ``SimpleSigner`` for a test key, with the intermediate in its registry."""
    from asn1crypto import keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=asn1_certificate(certificate),
        signing_key=keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([asn1_certificate(pki.intermediate)]),
    )


def sign_bt(pdf: bytes, signer: Any, tsa_url: str, *, field_name: str = "Sig1") -> bytes:
    """PAdES B-T with pyHanko's stock signer and the TSA at ``tsa_url`` (reference signing)."""
    from eoffice.signing.tsa import UrllibTimeStamper
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer, timestamper=UrllibTimeStamper(tsa_url)).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out
    )
    return out.getvalue()


def validate_signatures(pdf: bytes, trust_roots: list[x509.Certificate]) -> list[Any]:
    """pyHanko's status of every signature, trusting ``trust_roots`` only, offline, soft-fail."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    roots = [asn1_certificate(root) for root in trust_roots]
    return [
        validate_pdf_signature(
            embedded,
            ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"),
        )
        for embedded in reader.embedded_signatures
    ]
