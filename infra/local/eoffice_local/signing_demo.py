"""Electronic signature out of the box for ``make dev`` and the tests: a demo CA with its
timestamp authority, OCSP responder and CRLs served on 127.0.0.1, and KMS keys on the emulator
for the demo regency's signers, certified by that CA through the same admin flow a real
regency uses (create key, certificate request signed through KMS, import the chain).

And one signer whose key is at BSrE: the BSrE stand-in (``bsre_standin``) runs on 127.0.0.1
with its own BSrE-like PKI; ``kepala.bkpsdm`` has no key here and signs by typing the demo
NIK and passphrase below, which the signing function sends to the stand-in with the basic-auth
credentials it reads from Secrets Manager (``BsreCredentialsSecret``), as in AWS. The NIK and
passphrase are local demo values (printed in ``eoffice dev``'s welcome), not secrets.

Dev-only: nothing here ships in a function or the layer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from eoffice.auth import Principal
from eoffice.callers import principal_from_claims
from eoffice.signing import keys
from eoffice.signing.key_models import CertificateImport, SigningKeyCreate, TrustRootsUpdate

from eoffice_local.bsre_standin import BsreStandIn, start_bsre_standin
from eoffice_local.pki import Pki
from eoffice_local.pki_server import PkiServer, start_demo_pki

DEMO_SIGNERS = ("bupati", "sekda", "kadis.kominfo")
DEMO_CA_NAME = "Demo e-Office Luwu Timur (bukan untuk produksi)"

BSRE_SIGNER = "kepala.bkpsdm"
BSRE_NIK = "7324055706720005"  # a made-up NIK of Luwu Timur's form (73 24 ...), demo only
BSRE_PASSPHRASE = "Demo#BSrE-2026"  # noqa: S105 - the stand-in's demo passphrase, printed
BSRE_CLIENT_USERNAME = "esign"
BSRE_CLIENT_PASSWORD = "esign-lokal"  # noqa: S105 - the stand-in's basic auth, local only
BSRE_SECRET = "bsre"  # noqa: S105 - a secret's name, not its value
"""``BsreCredentialsSecret``: the part under ``eoffice/{Stage}/signing/``."""
LOCAL_STAGE = "dev"  # the template's default Stage, which the local runner keeps


@dataclass
class SigningServices:
    server: PkiServer
    pki: Pki
    bsre: BsreStandIn

    @property
    def parameters(self) -> dict[str, str]:
        """Template parameters pointing the signing function at the local services."""
        return {
            "TimestampAuthorityUrl": self.pki.tsa_url,
            "SignatureAuthorityName": DEMO_CA_NAME,
            "BsreUrl": self.bsre.base_url,
            "BsreCredentialsSecret": BSRE_SECRET,
        }

    def stop(self) -> None:
        self.bsre.stop()
        self.server.stop()


def start(bsre_port: int = 0) -> SigningServices:
    """The demo CA, and the BSrE stand-in on 127.0.0.1:``bsre_port`` (0: a free port)."""
    server, pki = start_demo_pki("Demo")
    try:
        bsre = start_bsre_standin(
            username=BSRE_CLIENT_USERNAME, password=BSRE_CLIENT_PASSWORD, port=bsre_port
        )
    except BaseException:
        server.stop()
        raise
    return SigningServices(server, pki, bsre)


def _principal(username: str) -> Principal:
    """The demo user as a request would see him (the demo must be loaded)."""
    return principal_from_claims({"cognito:username": username})


def load_signers(
    pki: Pki, usernames: tuple[str, ...] = DEMO_SIGNERS, *, also_trusted: tuple[Pki, ...] = ()
) -> dict[str, str]:
    """Trust the demo root (and the roots of ``also_trusted``), then give each signer a KMS key
    with a certificate from the demo CA; answers username -> signing key id."""
    admin = _principal("admin")
    roots = [pki.root_pem.decode(), *(other.root_pem.decode() for other in also_trusted)]
    keys.replace_trust_roots(admin, TrustRootsUpdate(pems=roots))
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


def store_bsre_credentials() -> None:
    """The stand-in's basic-auth credentials in Secrets Manager, where the signing function
    reads them (``BSRE_CREDENTIALS_SECRET``, built by the template from ``BsreCredentialsSecret``)."""
    from eoffice import aws

    name = f"eoffice/{LOCAL_STAGE}/signing/{BSRE_SECRET}"
    value = json.dumps({"username": BSRE_CLIENT_USERNAME, "password": BSRE_CLIENT_PASSWORD})
    secrets = aws.client("secretsmanager")
    try:
        secrets.create_secret(Name=name, SecretString=value)
    except secrets.exceptions.ResourceExistsException:
        secrets.put_secret_value(SecretId=name, SecretString=value)


def load_bsre_signer(services: SigningServices) -> str:
    """``kepala.bkpsdm`` registered at the stand-in with the demo NIK and passphrase (a
    certificate of its BSrE-like CA); no key of his here, so he signs through BSrE. Answers his
    username (the demo must be loaded)."""
    signer = _principal(BSRE_SIGNER).employee
    services.bsre.add_user(BSRE_NIK, signer.name, BSRE_PASSPHRASE)
    return BSRE_SIGNER
