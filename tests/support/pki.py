"""The tests' PKI: a served test PKI (root, intermediate, a TSA, OCSP and CRL on 127.0.0.1) and
an unrelated one, and the signing keys tests make from it.

A pytest plugin named by ``tests/conftest.py`` (``pytest_plugins``), so any test can ask for
``pki_env`` or ``pki_knobs``; helpers are imported with ``from support.pki import PkiEnv``.
Heavy libraries are imported inside the helpers: every test session loads this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pytest

if TYPE_CHECKING:
    from cryptography import x509
    from eoffice.signing.backends.local import LocalKey
    from eoffice_local.pki import Pki, PrivateKey
    from eoffice_local.pki_server import PkiServer


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


def asn1_certificate(certificate: x509.Certificate) -> Any:
    """The ``asn1crypto`` form pyHanko wants of a ``cryptography`` certificate."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def local_key(env: PkiEnv, common_name: str) -> LocalKey:
    """A fresh EC key of the trusted PKI as the local signing backend holds it (with the
    intermediate as its chain)."""
    from eoffice.signing.backends.local import LocalKey

    key, cert = env.signer(common_name, "ec")
    return LocalKey(key, asn1_certificate(cert), [asn1_certificate(env.pki.intermediate)])


def trusted_roots(env: PkiEnv) -> tuple[Any, ...]:
    """The trusted PKI's root, as the signing core's trust roots."""
    return (asn1_certificate(env.pki.root),)
