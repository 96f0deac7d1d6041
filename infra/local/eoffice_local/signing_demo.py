"""Electronic signature out of the box for ``make dev`` and the tests: a demo CA with its
timestamp authority, OCSP responder and CRLs served on 127.0.0.1, and KMS keys on the emulator
for the demo regency's signers, certified by that CA through the same admin flow a real
regency uses (create key, certificate request signed through KMS, import the chain).

Dev-only: nothing here ships in a function or the layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from eoffice.auth import Principal, principal_from_claims
from eoffice.signing import keys
from eoffice.signing.key_models import CertificateImport, SigningKeyCreate, TrustRootsUpdate

from eoffice_local.pki import Pki
from eoffice_local.pki_server import PkiServer, start_demo_pki

DEMO_SIGNERS = ("bupati", "sekda", "kadis.kominfo")
DEMO_CA_NAME = "Demo e-Office Luwu Timur (bukan untuk produksi)"


@dataclass
class SigningServices:
    server: PkiServer
    pki: Pki

    @property
    def parameters(self) -> dict[str, str]:
        """Template parameters pointing the signing function at the local services."""
        return {
            "TimestampAuthorityUrl": self.pki.tsa_url,
            "SignatureAuthorityName": DEMO_CA_NAME,
        }

    def stop(self) -> None:
        self.server.stop()


def start() -> SigningServices:
    server, pki = start_demo_pki("Demo")
    return SigningServices(server, pki)


def _principal(username: str) -> Principal:
    """The demo user as a request would see him (the demo must be loaded)."""
    return principal_from_claims({"cognito:username": username})


def load_signers(pki: Pki, usernames: tuple[str, ...] = DEMO_SIGNERS) -> dict[str, str]:
    """Trust the demo root, then give each signer a KMS key with a certificate from the demo
    CA; answers username -> signing key id."""
    admin = _principal("admin")
    keys.replace_trust_roots(admin, TrustRootsUpdate(pems=[pki.root_pem.decode()]))
    issued = {}
    for username in usernames:
        signer = _principal(username).employee
        request = SigningKeyCreate(owner_nip=signer.nip, common_name=signer.name)
        key = keys.create_kms_key(admin, request)
        assert key.csr_pem is not None
        certificate = pki.sign_csr(key.csr_pem.encode())
        chain = pki.chain_pem(certificate).decode()
        keys.import_certificate(admin, key.key_id, CertificateImport(chain_pem=chain))
        issued[username] = key.key_id
    return issued
