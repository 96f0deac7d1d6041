"""The BSrE v2 client against the local stand-in: status, signing, refusals and the no-retry rule."""

from __future__ import annotations

import io
import logging
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from eoffice.signing.backends.bsre import (
    BsreAppearance,
    BsreClient,
    BsreCredentials,
    BsreOutcomeUnknown,
    BsreRejected,
    BsreUnavailable,
    CertificateStatus,
)
from eoffice_local.bsre_standin import BsreStandIn, start_bsre_standin
from support.pades import validate_signatures
from support.pdfs import one_page_pdf

PASSPHRASE = "Rahasia#Sekali-9931"
TOTP = "482913"
NIK = "7324011203800001"
TOTP_NIK = "7324011203800002"
EXPIRED_NIK = "7324011203800003"
REVOKED_NIK = "7324011203800004"
CLIENT_PASSWORD = "esign-lokal"
TIMEOUT = 0.5  # what the no-answer tests wait; signing itself gets SIGN_TIMEOUT
SIGN_TIMEOUT = 15.0


@pytest.fixture(scope="module")
def standin() -> Iterator[BsreStandIn]:
    service = start_bsre_standin(password=CLIENT_PASSWORD)
    service.add_user(NIK, "Ir. Andi Mappanyukki, M.Si.", PASSPHRASE)
    service.add_user(TOTP_NIK, "Hj. Nurhayati, S.E.", "lain-lagi", totp=TOTP)
    service.add_user(EXPIRED_NIK, "Drs. Kadaluarsa", PASSPHRASE, expired=True)
    service.add_user(REVOKED_NIK, "Drs. Dicabut", PASSPHRASE, revoked=True)
    yield service
    service.stop()


@pytest.fixture
def client(standin: BsreStandIn) -> Iterator[BsreClient]:
    standin.delay_seconds = 0
    standin.fail_next = False
    yield BsreClient(
        standin.base_url, username="esign", password=CLIENT_PASSWORD, timeout=SIGN_TIMEOUT
    )
    standin.delay_seconds = 0
    standin.fail_next = False


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 48), (20, 60, 140)).save(buffer, format="PNG")
    return buffer.getvalue()


def _appearance() -> BsreAppearance:
    return BsreAppearance(
        image_png=_png(),
        page=1,
        x=360,
        y=90,
        width=170,
        height=68,
        reason="Kepala Dinas Komunikasi dan Informatika",
        location="Malili",
    )


def _impatient(standin: BsreStandIn) -> BsreClient:
    return BsreClient(standin.base_url, username="esign", password=CLIENT_PASSWORD, timeout=TIMEOUT)


def _wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_user_status_tells_valid_from_unusable(client: BsreClient) -> None:
    assert client.user_status(NIK) is CertificateStatus.VALID
    assert client.user_status("7324019999999999") is CertificateStatus.NOT_REGISTERED
    assert client.user_status(EXPIRED_NIK) is CertificateStatus.EXPIRED
    assert client.user_status(REVOKED_NIK) is CertificateStatus.REVOKED
    client.ensure_can_sign(NIK)
    with pytest.raises(BsreRejected) as raised:
        client.ensure_can_sign(REVOKED_NIK)
    assert raised.value.code == "certificate_revoked"


def test_sign_returns_a_pades_bt_pdf_trusted_to_the_bsre_root(
    client: BsreClient, standin: BsreStandIn
) -> None:
    started = time.perf_counter()
    signed = client.sign_pdf(
        one_page_pdf(), BsreCredentials(NIK, passphrase=PASSPHRASE), _appearance()
    )
    elapsed = time.perf_counter() - started

    (status,) = validate_signatures(signed, [standin.pki.root])
    assert status.intact and status.valid and status.trusted, status.summary()
    assert status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    issuer = status.signing_cert.issuer.human_friendly
    assert "BSrE" in issuer and "Badan Siber dan Sandi Negara" in issuer
    assert status.signing_cert.subject.native["serial_number"] == NIK
    assert elapsed < 10


def test_sign_with_totp_and_no_appearance(client: BsreClient, standin: BsreStandIn) -> None:
    signed = client.sign_pdf(one_page_pdf(), BsreCredentials(TOTP_NIK, totp=TOTP), None)

    (status,) = validate_signatures(signed, [standin.pki.root])
    assert status.intact and status.trusted
    report = client.verify_pdf(signed)
    assert report["conclusion"] == "VALID" and report["signatureCount"] == 1
    assert client.verify_pdf(one_page_pdf())["conclusion"] == "NO_SIGNATURE"


def test_a_wrong_passphrase_is_rejected_without_echoing_it(
    client: BsreClient, standin: BsreStandIn
) -> None:
    wrong = "Salah#Passphrase-7"
    signed_before = standin.signed_files
    with pytest.raises(BsreRejected) as raised:
        client.sign_pdf(one_page_pdf(), BsreCredentials(NIK, passphrase=wrong), None)

    assert raised.value.code == "2031" and raised.value.http_status == 400
    assert wrong not in str(raised.value) and wrong not in repr(raised.value)
    assert PASSPHRASE not in str(raised.value)
    assert standin.signed_files == signed_before


def test_unknown_nik_expired_certificate_and_bad_client_auth_are_rejected(
    client: BsreClient, standin: BsreStandIn
) -> None:
    with pytest.raises(BsreRejected) as unknown:
        client.sign_pdf(one_page_pdf(), BsreCredentials("7324019999999999", passphrase="x"), None)
    assert unknown.value.http_status == 404
    with pytest.raises(BsreRejected) as expired:
        client.sign_pdf(one_page_pdf(), BsreCredentials(EXPIRED_NIK, passphrase=PASSPHRASE), None)
    assert expired.value.code == "2021"
    intruder = BsreClient(standin.base_url, username="esign", password="tebakan", timeout=TIMEOUT)
    with pytest.raises(BsreRejected) as unauthorized:
        intruder.user_status(NIK)
    assert unauthorized.value.http_status == 401


def test_a_timeout_after_sending_is_an_unknown_outcome_and_never_retried(
    client: BsreClient, standin: BsreStandIn
) -> None:
    standin.delay_seconds = 4 * TIMEOUT
    requests_before, signed_before = standin.sign_requests, standin.signed_files
    impatient, pdf = _impatient(standin), one_page_pdf()

    started = time.monotonic()
    with pytest.raises(BsreOutcomeUnknown):
        impatient.sign_pdf(pdf, BsreCredentials(NIK, passphrase=PASSPHRASE), None)

    assert time.monotonic() - started < 3.5 * TIMEOUT  # one wait, no second attempt
    assert _wait_for(lambda: standin.signed_files == signed_before + 1)  # it signed anyway
    time.sleep(4 * TIMEOUT)  # room for a retry to arrive, if the client made one
    assert standin.sign_requests == requests_before + 1


def test_a_server_error_on_sign_is_an_unknown_outcome(
    client: BsreClient, standin: BsreStandIn
) -> None:
    standin.fail_next = True
    requests_before = standin.sign_requests
    with pytest.raises(BsreOutcomeUnknown, match="HTTP 500"):
        client.sign_pdf(one_page_pdf(), BsreCredentials(NIK, passphrase=PASSPHRASE), None)
    assert standin.sign_requests == requests_before + 1


def test_a_service_that_is_down_is_unavailable() -> None:
    down = BsreClient(
        f"http://127.0.0.1:{_free_port()}", username="esign", password="x", timeout=TIMEOUT
    )
    with pytest.raises(BsreUnavailable):
        down.sign_pdf(one_page_pdf(), BsreCredentials(NIK, passphrase=PASSPHRASE), None)
    with pytest.raises(BsreUnavailable):
        down.user_status(NIK)


def test_secrets_stay_out_of_logs_and_reprs(
    client: BsreClient,
    standin: BsreStandIn,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("eoffice").addHandler(caplog.handler)
    try:
        client.sign_pdf(one_page_pdf(), BsreCredentials(NIK, passphrase=PASSPHRASE), None)
        client.sign_pdf(one_page_pdf(), BsreCredentials(TOTP_NIK, totp=TOTP), None)
        with pytest.raises(BsreRejected):
            client.sign_pdf(one_page_pdf(), BsreCredentials(NIK, passphrase=PASSPHRASE + "x"), None)
        standin.delay_seconds = TIMEOUT * 4
        with pytest.raises(BsreOutcomeUnknown) as unknown:
            _impatient(standin).sign_pdf(
                one_page_pdf(), BsreCredentials(NIK, passphrase=PASSPHRASE), None
            )
    finally:
        logging.getLogger("eoffice").removeHandler(caplog.handler)

    captured = capfd.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert "bsre call" in logged  # the client did log: the check below is not vacuous
    for secret in (PASSPHRASE, TOTP, CLIENT_PASSWORD, NIK):
        assert secret not in logged
        assert secret not in str(unknown.value)
    credentials = BsreCredentials(NIK, passphrase=PASSPHRASE)
    assert PASSPHRASE not in repr(credentials) and NIK not in repr(credentials)
    assert TOTP not in repr(BsreCredentials(TOTP_NIK, totp=TOTP))
    assert CLIENT_PASSWORD not in repr(client)
    assert "image_png" not in repr(_appearance())


def test_credentials_need_exactly_one_secret() -> None:
    with pytest.raises(ValueError, match="exactly one") as raised:
        BsreCredentials(NIK, passphrase=PASSPHRASE, totp=TOTP)
    assert PASSPHRASE not in str(raised.value)
    with pytest.raises(ValueError, match="exactly one"):
        BsreCredentials(NIK)


class _Scripted:
    """A one-route HTTP server answering every POST with a fixed status (and ``Location``);
    it records the Authorization headers it received."""

    def __init__(self, status: int, location: str | None = None) -> None:
        import http.server
        import threading

        seen: list[str | None] = []
        self.seen = seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen.append(self.headers.get("Authorization"))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                body = b'{"error": "scripted"}'
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_refused_and_credentials_stay_home(status: int) -> None:
    elsewhere = _Scripted(200)
    redirecting = _Scripted(status, location=elsewhere.url + "/api/v2/sign/pdf")
    try:
        client = BsreClient(redirecting.url, username="esign", password=CLIENT_PASSWORD)
        credentials = BsreCredentials(nik=NIK, passphrase=PASSPHRASE)
        with pytest.raises(BsreUnavailable, match="redirect"):
            client.sign_pdf(one_page_pdf(), credentials, None)
        with pytest.raises(BsreUnavailable):
            client.user_status(NIK)
        with pytest.raises(BsreUnavailable):
            client.verify_pdf(one_page_pdf())
        assert len(redirecting.seen) == 3 and elsewhere.seen == []
    finally:
        redirecting.stop()
        elsewhere.stop()


@pytest.mark.parametrize("status", [408, 429, 503])
def test_busy_answers_are_unavailable_not_rejected(status: int) -> None:
    busy = _Scripted(status)
    try:
        client = BsreClient(busy.url, username="esign", password=CLIENT_PASSWORD)
        with pytest.raises(BsreUnavailable):
            client.sign_pdf(one_page_pdf(), BsreCredentials(nik=NIK, passphrase=PASSPHRASE), None)
        with pytest.raises(BsreUnavailable):
            client.user_status(NIK)
    finally:
        busy.stop()


@pytest.mark.parametrize("url", ["ftp://bsre.local", "file:///etc/passwd", "bsre.local:8080"])
def test_base_url_must_be_http(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        BsreClient(url, username="esign", password=CLIENT_PASSWORD)
