"""A local stand-in of BSrE's esign client service v2 (dev-only, never shipped).

Implements the three calls the e-office uses, with basic auth, on 127.0.0.1:

- ``POST /api/v2/user/check/status`` ``{nik}`` -> ``{status: ISSUE|EXPIRED|REVOKE|SUSPEND|
  NOT_REGISTERED, message}``;
- ``POST /api/v2/sign/pdf`` -> ``{file: [base64]}``: PAdES B-T signed by pyHanko with the user's
  key from a BSrE-like test PKI and its TSA, as the real service answers (no LTV data);
- ``POST /api/v2/verify/pdf`` ``{file}`` -> a BSrE-shaped report.

Errors answer ``{status_code, error}``: 401 bad basic auth, 404 unknown NIK (code 1111), 400 wrong
passphrase (2031) or TOTP (2032), 400 certificate not usable (2021). Knobs for tests:
``delay_seconds`` (sleeps after signing, before answering: the real service also signs when
the caller has given up), ``fail_next`` (one HTTP 500, nothing signed) and the counters
``sign_requests`` / ``signed_files``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import io
import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from eoffice.signing.tsa_client import UrllibTimeStamper
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from eoffice_local.pki import Pki, PrivateKey, bsre_like_pki
from eoffice_local.pki_server import PkiServer

_MAX_BODY = 64 << 20
STAMP_TEXT = "Ditandatangani secara elektronik oleh\n%(signer)s\nBSrE - BSSN"


@dataclass
class StandInUser:
    """A registered signer; ``suspended`` mimics a certificate BSrE has put on hold."""

    nik: str
    name: str
    passphrase: str
    totp: str | None
    key: PrivateKey
    certificate: x509.Certificate
    suspended: bool = False

    def __repr__(self) -> str:
        return f"StandInUser(nik={self.nik!r}, name={self.name!r})"


class _Refusal(Exception):
    def __init__(self, http_status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.code = code


class BsreStandIn:
    """The stand-in service; start with :func:`start_bsre_standin`."""

    def __init__(
        self,
        pki_server: PkiServer,
        pki: Pki,
        *,
        username: str,
        password: str,
        owns_server: bool,
        port: int = 0,
    ) -> None:
        self.pki_server = pki_server
        self.pki = pki
        self.username = username
        self.password = password
        self.users: dict[str, StandInUser] = {}
        self.delay_seconds = 0.0
        self.fail_next = False
        self.sign_requests = 0
        self.signed_files = 0
        self.last_signed: bytes | None = None  # what the signer could fetch from BSrE's portal
        self._owns_server = owns_server
        self._lock = threading.Lock()
        self._timestamper = UrllibTimeStamper(pki_server.tsa_url)
        self._chain = SimpleCertificateStore.from_certs([_asn1(pki.intermediate)])
        self._httpd = _Httpd(("127.0.0.1", port), _Handler)
        self._httpd.standin = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="bsre-standin", daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def add_user(
        self,
        nik: str,
        name: str,
        passphrase: str,
        totp: str | None = None,
        *,
        expired: bool = False,
        revoked: bool = False,
    ) -> StandInUser:
        """Register ``nik`` with a fresh BSrE-like certificate (NIK in the subject serialNumber)."""
        start = datetime.now(UTC) - timedelta(days=400 if expired else 0, minutes=5)
        end = start + timedelta(days=365 if expired else 730)
        key, certificate = self.pki.issue_key(
            name, serial_number_attr=nik, not_before=start, not_after=end
        )
        if revoked:
            self.pki.revoke(certificate)
        user = StandInUser(nik, name, passphrase, totp, key, certificate)
        with self._lock:
            self.users[nik] = user
        return user

    def status_word(self, nik: str) -> str:
        user = self.users.get(nik)
        if user is None:
            return "NOT_REGISTERED"
        if self.pki.is_revoked(user.certificate.serial_number):
            return "REVOKE"
        if user.suspended:
            return "SUSPEND"
        if user.certificate.not_valid_after_utc < datetime.now(UTC):
            return "EXPIRED"
        return "ISSUE"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._thread.join(timeout=5)
        self._httpd.server_close()
        if self._owns_server:
            self.pki_server.stop()

    # -- the calls ----------------------------------------------------------------------------

    def check_status(self, body: dict[str, Any]) -> dict[str, Any]:
        word = self.status_word(str(body.get("nik", "")))
        messages = {
            "ISSUE": "Sertifikat aktif",
            "NOT_REGISTERED": "Pengguna tidak terdaftar",
        }
        return {"status": word, "message": messages.get(word, f"Sertifikat {word.lower()}")}

    def sign(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.sign_requests += 1
            fail, self.fail_next = self.fail_next, False
        if fail:
            raise _Refusal(500, 5000, "Terjadi kesalahan internal")
        user = self._authenticate(body)
        files = body.get("file")
        properties = body.get("signatureProperties") or [{"tampilan": "INVISIBLE"}]
        if not isinstance(files, list) or len(files) != 1 or not isinstance(properties, list):
            raise _Refusal(400, 2040, "Satu berkas PDF per permintaan")
        signed = self._sign_pdf(_b64(files[0]), user, properties[0])
        with self._lock:
            self.signed_files += 1
            self.last_signed = signed
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        return {"file": [base64.b64encode(signed).decode("ascii")]}

    def verify(self, body: dict[str, Any]) -> dict[str, Any]:
        raw = body.get("file")
        pdf = _b64(raw[0] if isinstance(raw, list) and raw else raw)
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        details = [self._describe(embedded) for embedded in reader.embedded_signatures]
        if not details:
            conclusion = "NO_SIGNATURE"
        elif all(d["certValid"] and not d["docTampered"] for d in details):
            conclusion = "VALID"
        else:
            conclusion = "INVALID"
        return {
            "conclusion": conclusion,
            "signatureCount": len(details),
            "signatureInformations": details,
        }

    # -- helpers ------------------------------------------------------------------------------

    def _authenticate(self, body: dict[str, Any]) -> StandInUser:
        user = self.users.get(str(body.get("nik", "")))
        if user is None:
            raise _Refusal(404, 1111, "Pengguna tidak terdaftar")
        passphrase, totp = body.get("passphrase"), body.get("totp")
        if passphrase is not None:
            if not _same(str(passphrase), user.passphrase):
                raise _Refusal(400, 2031, "Passphrase anda salah")
        elif totp is None or user.totp is None or not _same(str(totp), user.totp):
            raise _Refusal(400, 2032, "Kode TOTP salah atau kedaluwarsa")
        word = self.status_word(user.nik)
        if word != "ISSUE":
            raise _Refusal(400, 2021, f"Sertifikat tidak dapat digunakan ({word})")
        return user

    def _sign_pdf(self, pdf: bytes, user: StandInUser, props: dict[str, Any]) -> bytes:
        field_name = f"BSrE-{uuid.uuid4().hex[:8]}"
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            name=user.name,
            reason=props.get("reason"),
            location=props.get("location"),
        )
        signer = signers.SimpleSigner(
            signing_cert=_asn1(user.certificate),
            signing_key=_asn1_key(user.key),
            cert_registry=self._chain,
        )
        visible = str(props.get("tampilan", "")).upper() == "VISIBLE"
        spec = fields.SigFieldSpec(
            field_name,
            on_page=int(props.get("page", 1)) - 1 if visible else 0,
            box=_box(props) if visible else None,
        )
        style = _stamp_style(props.get("imageBase64")) if visible else None
        out = io.BytesIO()
        signers.PdfSigner(
            meta,
            signer=signer,
            timestamper=self._timestamper,
            stamp_style=style,
            new_field_spec=spec,
        ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), output=out)
        return out.getvalue()

    def _describe(self, embedded: Any) -> dict[str, Any]:
        context = ValidationContext(
            trust_roots=[_asn1(self.pki.root)], allow_fetching=False, revocation_mode="soft-fail"
        )
        status = validate_pdf_signature(embedded, context)
        signer_cert = embedded.signer_cert
        claimed = embedded.self_reported_timestamp
        return {
            "signerName": signer_cert.subject.native.get("common_name"),
            "signerCertExpiryDate": signer_cert["tbs_certificate"]["validity"][
                "not_after"
            ].native.isoformat(),
            "signatureDate": claimed.isoformat() if claimed else None,
            "signatureFormat": "PAdES",
            "reason": embedded.sig_object.get("/Reason"),
            "location": embedded.sig_object.get("/Location"),
            "certValid": bool(status.trusted and not status.revoked),
            "docTampered": not status.intact,
            "timestamped": status.timestamp_validity is not None,
        }


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    standin: BsreStandIn


class _Handler(BaseHTTPRequestHandler):
    server: _Httpd
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet (and a real access log would not hold bodies either)."""

    def do_GET(self) -> None:
        self._reply(405, {"status_code": 405, "error": "Gunakan POST"})

    def do_POST(self) -> None:
        standin = self.server.standin
        routes = {
            "/api/v2/user/check/status": standin.check_status,
            "/api/v2/sign/pdf": standin.sign,
            "/api/v2/verify/pdf": standin.verify,
        }
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, _MAX_BODY))
        route = routes.get(self.path)
        if route is None:
            self._reply(404, {"status_code": 404, "error": "Tidak ditemukan"})
        elif not self._authorized(standin):
            self._reply(401, {"status_code": 401, "error": "Unauthorized"})
        else:
            self._dispatch(route, raw)

    def _dispatch(self, route: Any, raw: bytes) -> None:
        try:
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise _Refusal(400, 400, "Permintaan tidak valid")
            self._reply(200, route(body))
        except _Refusal as refusal:
            self._reply(refusal.http_status, {"status_code": refusal.code, "error": str(refusal)})
        except (ValueError, binascii.Error):
            self._reply(400, {"status_code": 400, "error": "Permintaan tidak valid"})

    def _authorized(self, standin: BsreStandIn) -> bool:
        expected = f"{standin.username}:{standin.password}".encode()
        sent = self.headers.get("Authorization", "")
        if not sent.startswith("Basic "):
            return False
        try:
            return hmac.compare_digest(base64.b64decode(sent[6:], validate=True), expected)
        except (binascii.Error, ValueError):
            return False

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): the work is done all the same


def start_bsre_standin(
    pki_server: PkiServer | None = None,
    *,
    username: str = "esign",
    password: str = "esign-lokal",  # noqa: S107 - a local stand-in's fixed credential
    port: int = 0,
) -> BsreStandIn:
    """Start the stand-in on 127.0.0.1:``port`` (0: a free one). Its PKI is the one
    ``pki_server`` already serves, else a new BSrE-like PKI served by ``pki_server`` (or by a
    new server the stand-in stops itself)."""
    owns = pki_server is None
    server = pki_server or PkiServer()
    pki = server.pki
    if pki is None:
        pki = bsre_like_pki(server.base_url)
        server.serve(pki)
    return BsreStandIn(
        server, pki, username=username, password=password, owns_server=owns, port=port
    )


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _b64(value: object) -> bytes:
    if not isinstance(value, str):
        raise _Refusal(400, 2040, "Berkas tidak ada")
    return base64.b64decode(value, validate=True)


def _box(props: dict[str, Any]) -> tuple[int, int, int, int]:
    x, y = float(props.get("originX", 0)), float(props.get("originY", 0))
    width, height = float(props.get("width", 150)), float(props.get("height", 60))
    return int(x), int(y), int(x + width), int(y + height)


def _stamp_style(image_b64: object) -> TextStampStyle:
    """BSrE draws the caller's image; the stand-in uses it as the stamp's background."""
    background = None
    if isinstance(image_b64, str) and image_b64:
        from PIL import Image

        background = PdfImage(Image.open(io.BytesIO(base64.b64decode(image_b64))))
    return TextStampStyle(
        stamp_text=STAMP_TEXT, border_width=0, background=background, background_opacity=1.0
    )


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _asn1_key(key: PrivateKey) -> keys.PrivateKeyInfo:
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return keys.PrivateKeyInfo.load(der)
