"""Time-stamping in the signing core (``eoffice.signing.tsa_client``, through ``pades.sign_pdf``): a TSA
outside the trust roots gives B-T with its token untrusted, a token for another hash is not
embedded, failures are told without the TSA's URL, and a TSA that speaks no HTTP is a
``TimestampRequestError``."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from asn1crypto import tsp
from eoffice.signing import pades, pades_models, tsa_client
from eoffice.signing.verify import verify_pdf
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from support.pdfs import one_page_pdf
from support.pki import PkiEnv, local_key, trusted_roots


# A TSA whose certificate does not chain to the trust roots: B-T, not a crash.
def test_tsa_outside_the_trust_roots_gives_bt_with_its_token_untrusted(pki_env: PkiEnv) -> None:
    long_term = pades_models.LongTerm(trusted_roots(pki_env), timeout=2.0)
    signed = pades.sign_pdf(
        one_page_pdf(),
        local_key(pki_env, "TSA Asing"),
        tsa_url=pki_env.foreign_server.tsa_url,
        visible=None,
        long_term=long_term,
    )
    assert signed.level == "B-T"
    (sig,) = verify_pdf(signed.pdf, list(trusted_roots(pki_env))).signatures
    assert sig.intact and sig.trusted
    assert sig.timestamp is not None and sig.timestamp.intact and not sig.timestamp.trusted


# A time-stamp token for another hash is not embedded.
class _WrongImprintStamper(tsa_client.UrllibTimeStamper):
    """A real TSA asked to time-stamp something else than what it was given."""

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        if req["message_imprint"]["hashed_message"].native != bytes(32):  # not the dummy
            req = req.copy()
            req["message_imprint"]["hashed_message"] = hashlib.sha256(b"lain").digest()
        return await super().async_request_tsa_response(req)


def test_a_token_for_another_hash_fails_the_signature(
    pki_env: PkiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamper = _WrongImprintStamper(pki_env.tsa_url)
    monkeypatch.setattr(pades, "timestamper", lambda url: stamper)
    with pytest.raises(pades.SigningFailed) as failed:
        pades.sign_pdf(
            one_page_pdf(), local_key(pki_env, "Imprint"), tsa_url="http://x/", visible=None
        )
    assert str(failed.value) == "the timestamp authority answered with an error"


# Client-safe messages; an HTTP-level failure of the TSA is a TimestampRequestError.
def test_signing_failed_messages_name_no_url(pki_env: PkiEnv, pki_knobs: Any) -> None:
    key = local_key(pki_env, "Pesan")
    unreachable = "http://127.0.0.1:9/rahasia-tsa"
    with pytest.raises(pades.SigningFailed) as silent:
        pades.sign_pdf(one_page_pdf(), key, tsa_url=unreachable, visible=None)
    assert str(silent.value) == "the timestamp authority did not answer"

    pki_knobs.tsa_mode = "refuse"
    with pytest.raises(pades.SigningFailed) as error:
        pades.sign_pdf(one_page_pdf(), key, tsa_url=pki_env.tsa_url, visible=None)
    assert str(error.value) == "the timestamp authority answered with an error"


@pytest.fixture
def garbling_server() -> Iterator[str]:
    """Answers every connection with a line that is not HTTP (``http.client.BadStatusLine``)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/tsa"
    listener.close()


def test_a_tsa_speaking_no_http_is_a_timestamp_request_error(garbling_server: str) -> None:
    import asyncio

    stamper = tsa_client.UrllibTimeStamper(garbling_server, timeout=2.0)
    request = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": bytes(32),
            },
            "cert_req": True,
        }
    )
    with pytest.raises(TimestampRequestError):
        asyncio.run(stamper.async_request_tsa_response(request))


def _request(hashed: bytes = bytes(32)) -> tsp.TimeStampReq:
    return tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashed,
            },
            "cert_req": True,
        }
    )


def test_the_connection_to_the_tsa_is_kept_for_the_next_request(pki_env: PkiEnv) -> None:
    import asyncio

    stamper = tsa_client.UrllibTimeStamper(pki_env.tsa_url, timeout=2.0)
    answers, connections = [], []
    for number in range(3):
        answers.append(
            asyncio.run(stamper.async_request_tsa_response(_request(bytes([number]) * 32)))
        )
        connections.append(stamper._kept)
    assert [a["status"]["status"].native for a in answers] == ["granted"] * 3
    assert connections[0] is not None and connections.count(connections[0]) == 3


@pytest.fixture
def closing_server() -> Iterator[tuple[str, list[int]]]:
    """Answers one request per connection, then closes it without saying so (as a server whose
    keep-alive timeout ran out between two signatures); counts the connections."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[int] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/tsa", accepted
    listener.close()


def test_a_kept_connection_the_server_closed_is_replaced(
    closing_server: tuple[str, list[int]],
) -> None:
    url, accepted = closing_server
    stamper = tsa_client.UrllibTimeStamper(url, timeout=2.0)
    assert [stamper._post(b"q") for _ in range(3)] == [b"ok"] * 3
    assert len(accepted) == 3  # each request after the first found its connection closed


def test_a_proxy_in_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """``http_proxy`` is honoured as urllib honoured it: the request goes through urllib (which
    sends it to the proxy), not on a direct connection."""
    monkeypatch.setenv("http_proxy", "http://proxy.example.invalid:3128")
    monkeypatch.setenv("no_proxy", "")
    stamper = tsa_client.UrllibTimeStamper("http://tsa.example.invalid/tsa", timeout=2.0)
    through_urllib: list[bytes] = []
    monkeypatch.setattr(stamper, "_post_through_urllib", lambda data: through_urllib.append(data))
    monkeypatch.setattr(stamper, "_connect", lambda: pytest.fail("connected directly"))
    stamper._post(b"q")
    assert through_urllib == [b"q"]
    monkeypatch.setenv("no_proxy", "tsa.example.invalid")
    bypassing = tsa_client.UrllibTimeStamper("http://tsa.example.invalid/tsa", timeout=2.0)
    monkeypatch.setattr(bypassing, "_connect", lambda: pytest.fail("connected directly"))
    with pytest.raises(pytest.fail.Exception):
        bypassing._post(b"q")


def test_a_connection_idle_too_long_is_not_reused(
    pki_env: PkiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    stamper = tsa_client.UrllibTimeStamper(pki_env.tsa_url, timeout=2.0)
    asyncio.run(stamper.async_request_tsa_response(_request()))
    first = stamper._kept
    monkeypatch.setattr(stamper, "_kept_at", stamper._kept_at - tsa_client.KEEP_IDLE_SECONDS - 1)
    asyncio.run(stamper.async_request_tsa_response(_request()))
    assert first is not None and stamper._kept is not None and stamper._kept is not first
    assert first.sock is None  # closed
