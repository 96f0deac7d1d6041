"""The local signing backend's certificate chain (``eoffice.signing.backends.local``): a PKCS#12
or PEM bundle in any order, with duplicates and strangers, is ordered from the leaf to the root."""

from __future__ import annotations

from eoffice.signing.backends.local import LocalKey, _ordered_chain
from support.pki import PkiEnv, asn1_certificate


# The chain of a PKCS#12 or PEM bundle in any order, with duplicates and strangers.
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
