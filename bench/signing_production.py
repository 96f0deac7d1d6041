"""The production row of the signing benchmark (issue 19): a whole sign request, as production runs it.

``POST /outgoing/{id}/sign`` by kadis.kominfo through the in-process HTTP API (authorizer, payload
2.0 event, the signing function's handler) against the moto emulator: his KMS key (``kms:Sign``
on the emulator), B-LT (the OCSP answer and CRLs fetched from the bench's PKI process, the DSS
written), the number claimed, the signed file stored, the letter delivered to one unit and one
external recipient. Each letter is drafted and taken in beforehand, untimed.

The PKI lives in the bench's PKI process; :class:`PkiProxy` lets ``load_signers`` certify the
signer's KMS key there, over the same pipe.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIGNER = "kadis.kominfo"
AUTHOR = "staf.kominfo"
EMPLOYEES = 20


class PkiProxy:
    """What ``eoffice_local.signing_demo.load_signers`` uses of a ``Pki``, answered by the PKI
    process: its root, and certificates for CSRs (PEM in, PEM chain out)."""

    def __init__(self, conn: Connection, root_pem: bytes) -> None:
        self.conn = conn
        self.root_pem = root_pem

    def sign_csr(self, csr_pem: bytes) -> bytes:
        self.conn.send(("csr", csr_pem))
        chain: bytes = self.conn.recv()
        return chain

    def chain_pem(self, chain: bytes) -> bytes:
        return chain


class Production:
    """A throw-away environment whose signer has a KMS key certified by the bench's PKI."""

    def __init__(self, env: Any) -> None:
        sys.path.insert(0, str(ROOT / "tests"))
        from support.api import Api, Intake

        self.api = Api(env)
        self.intake = Intake(env)

    def ready(self, pdf: bytes) -> str:
        """A letter ready for kadis.kominfo to sign (no reviewers): its id."""
        from support.outgoing import draft

        with _quiet():
            outgoing = draft(self.api, self.intake, AUTHOR, pdf, reviewers=[])
        if outgoing["status"] != "ready_to_sign":
            raise RuntimeError(f"the draft is not ready to sign: {outgoing['status']}")
        return str(outgoing["outgoing_id"])

    def sign(self, outgoing_id: str) -> str:
        """The whole sign request; answers the signature's level (B-LT expected)."""
        with _quiet():
            answer = self.api.post(f"/outgoing/{outgoing_id}/sign", user=SIGNER, json_body={})
        if answer.status != 200:
            raise RuntimeError(f"sign request failed: {answer.status} {answer.body[:300]!r}")
        return str(answer.json["signatures"][-1]["level"])


@contextlib.contextmanager
def production(tsa_url: str, pki: PkiProxy) -> Iterator[Production]:
    """The environment, started here as the tests start it (moto server, template provisioned,
    the demo regency), the TSA the bench's; torn down afterwards."""
    from eoffice_local.environment import throwaway
    from eoffice_local.signing_demo import load_signers

    parameters = {"TimestampAuthorityUrl": tsa_url}
    with throwaway("eoffice-bench-signing", EMPLOYEES, parameters) as env:
        with _quiet():
            load_signers(pki, (SIGNER,))  # type: ignore[arg-type]
        yield Production(env)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The handlers' log lines are swallowed to keep the report readable."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield
