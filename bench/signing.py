"""Signing letters (issues 5 and 19): our PAdES fast path against pyHanko's strongest stock setup.

The test PKI and its TSA run in a separate process (multiprocessing) on 127.0.0.1, as a real TSA
would be remote: in-process, its token signing would compete with the signer for the GIL. Stock
and ours alternate round by round so both see the same machine load; medians are compared.

- stock (the baseline, issue 19): ``signers.SimpleSigner.load`` from key/certificate files once,
  pyHanko's requests-based ``RequestsHTTPTimeStamper`` (one instance, reused), ``PdfSigner`` with
  pyHanko's own ``QRStampStyle`` in our layout and a fixed ``bytes_reserved`` (no dry-run
  signature to size the CMS); B-T. Everything stock pyHanko offers without custom code.
- issue 5's stock, information only: the same with the aiohttp ``HTTPTimeStamper`` and the dry run.
- ours: :func:`eoffice.signing.pades.sign_pdf` with a :class:`LocalKey`, visible QR mark, the
  number/date/footer stamps, B-T.
- production, information only (:mod:`bench.signing_production`): the whole sign request through
  the in-process API against the moto emulator: B-LT, the signer's KMS key, the letter delivered.
Targets: ours at most 0.2x stock on the one-page letter, at most 1.0x on a 5 MB scan.
Information only: a letter signed by three officials in turn, ``verify_pdf`` of one and of three
signatures.
"""

from __future__ import annotations

import io
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import fields as dc_fields
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.report import median, table, verdict

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 30
QUICK_ROUNDS = 8
SCAN_ROUNDS = 5
QUICK_SCAN_ROUNDS = 2
MIN_PRODUCTION_ROUNDS = 3
SCAN_MEGABYTES = 5
TARGET_RATIO = 0.2
SCAN_TARGET_RATIO = 1.0
STOCK_BYTES_RESERVED = 16 * 1024
"""What a user of stock pyHanko reserves for the CMS (hex digits) to skip its dry-run signature:
pyHanko's own default placeholder size; our CMS with the chain and the token fits in it."""
VERIFY_URL = "https://eoffice.luwutimurkab.go.id/verifikasi/{}"
SIGNERS = ("Kepala Dinas Kominfo", "Sekretaris Daerah", "Bupati Luwu Timur")


def _serve_pki(conn: Connection) -> None:
    """Child process: start the PKI server, issue a signer, hand the material over, serve."""
    sys.path.insert(0, str(ROOT / "infra" / "local"))
    from cryptography.hazmat.primitives import serialization
    from eoffice_local.pki import Pki
    from eoffice_local.pki_server import PkiServer

    server = PkiServer()
    pki = Pki("Bench", base_url=server.base_url)
    server.serve(pki)
    key, cert = pki.issue_key("Budi Santoso, S.Kom.")
    pem = serialization.Encoding.PEM
    conn.send(
        {
            "tsa_url": server.tsa_url,
            "key": key.private_bytes(
                pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
            "cert": cert.public_bytes(pem),
            "intermediate": pki.intermediate.public_bytes(pem),
            "root": pki.root.public_bytes(pem),
        }
    )
    while (message := conn.recv()) != "stop":  # certificates for the production row's keys
        _, csr_pem = message
        conn.send(pki.chain_pem(pki.sign_csr(csr_pem)))
    server.stop()


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.samples.setdefault(name, []).append(seconds * 1000)

    def ms(self, name: str) -> float:
        return median(self.samples[name])


@dataclass
class SigningReport:
    rounds: int
    scan_rounds: int
    letter_kb: float
    scan_mb: float
    timings: Timings
    checks: list[str]

    @property
    def ratio(self) -> float:
        return self.timings.ms("ours") / self.timings.ms("stock")

    @property
    def scan_ratio(self) -> float:
        return self.timings.ms("ours_scan") / self.timings.ms("stock_scan")

    def failures(self) -> list[str]:
        found = [f"signing: {problem}" for problem in self.checks]
        if self.ratio > TARGET_RATIO:
            found.append(f"signing: ours/stock {self.ratio:.2f} (target <= {TARGET_RATIO})")
        if self.scan_ratio > SCAN_TARGET_RATIO:
            found.append(
                f"signing: ours/stock on the scan {self.scan_ratio:.2f} "
                f"(target <= {SCAN_TARGET_RATIO})"
            )
        return found

    def render(self) -> str:
        t = self.timings
        stock = t.ms("stock")
        per_signature = t.ms("three_signers") / len(SIGNERS)
        rows: list[tuple[str, float, str, float | None, bool | None]] = [
            (
                "one-page letter, stock: requests TSA, fixed bytes_reserved",
                stock,
                "1.00",
                None,
                None,
            ),
            _row("one-page letter, issue 5's stock: aiohttp TSA, dry run", t.ms("naive"), stock),
            (
                "one-page letter, ours (sign_pdf, LocalKey, stamps)",
                t.ms("ours"),
                f"{self.ratio:.2f}",
                TARGET_RATIO,
                self.ratio <= TARGET_RATIO,
            ),
            (f"{self.scan_mb:.1f} MB scan, stock", t.ms("stock_scan"), "1.00", None, None),
            (
                f"{self.scan_mb:.1f} MB scan, ours",
                t.ms("ours_scan"),
                f"{self.scan_ratio:.2f}",
                SCAN_TARGET_RATIO,
                self.scan_ratio <= SCAN_TARGET_RATIO,
            ),
            _row("production: whole sign request, B-LT, KMS on moto", t.ms("production"), stock),
            ("three signers in turn, ours: total", t.ms("three_signers"), "", None, None),
            ("three signers in turn, ours: per signature", per_signature, "", None, None),
            ("verify_pdf, one signature", t.ms("verify_one"), "", None, None),
            ("verify_pdf, three signatures", t.ms("verify_three"), "", None, None),
        ]
        body = table(
            ("what (PAdES, visible QR mark)", "median ms", "vs stock", "target", "verdict"),
            [
                (label, f"{ms:.1f}", ratio, f"<= {target}" if target else "", verdict(ok))
                for label, ms, ratio, target, ok in rows
            ],
        )
        head = (
            f"Signing: {self.rounds} interleaved rounds on a {self.letter_kb:.0f} KB letter "
            f"({self.scan_rounds} on the scan, {len(t.samples['production'])} sign requests); "
            "TSA/OCSP/CRL served by another process; B-T but the production row (B-LT)"
        )
        notes = [f"  check failed: {c}" for c in self.checks]
        return "\n".join([head, body, *notes])


def _row(label: str, ms: float, stock: float) -> tuple[str, float, str, None, None]:
    """An information row: its figure against the stock letter's."""
    return label, ms, f"{ms / stock:.2f}", None, None


def _timed(timings: Timings, name: str, action: Callable[..., Any], *args: Any) -> Any:
    started = time.perf_counter()
    result = action(*args)
    timings.add(name, time.perf_counter() - started)
    return result


class _Bench:
    """Both signers over the same material."""

    def __init__(self, material: dict[str, Any], workdir: Path) -> None:
        from asn1crypto import pem, x509
        from eoffice.signing.backends.local import LocalKey
        from pyhanko.sign import signers, timestamps
        from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

        for name in ("key", "cert", "intermediate"):
            (workdir / f"{name}.pem").write_bytes(material[name])
        self.tsa_url = material["tsa_url"]
        self.stock_signer = signers.SimpleSigner.load(
            str(workdir / "key.pem"),
            str(workdir / "cert.pem"),
            ca_chain_files=(str(workdir / "intermediate.pem"),),
        )
        self.stock_tsa = RequestsHTTPTimeStamper(self.tsa_url)
        self.naive_tsa = timestamps.HTTPTimeStamper(self.tsa_url)
        self.key = LocalKey.from_pem(material["key"], material["cert"], material["intermediate"])
        self.roots = [x509.Certificate.load(pem.unarmor(material["root"])[2])]

    def visible(self, slot: int = 0, position: str = SIGNERS[0]) -> Any:
        from eoffice.signing.pades_models import VisibleSignature

        return VisibleSignature(
            VERIFY_URL.format("8f1c2a"),
            "Budi Santoso, S.Kom.",
            position,
            "28 November 2026 16:14 WITA",
            slot,
        )

    def stock(self, pdf: bytes) -> bytes:
        """The strongest stock setup: requests-based time stamper, a fixed reserve (no dry run)."""
        return self._stock(pdf, self.stock_tsa, STOCK_BYTES_RESERVED)

    def naive(self, pdf: bytes) -> bytes:
        """Issue 5's stock setup: aiohttp time stamper, pyHanko sizes the CMS by a dry run."""
        return self._stock(pdf, self.naive_tsa, None)

    def _stock(self, pdf: bytes, tsa: Any, reserved: int | None) -> bytes:
        from eoffice.signing import pades, stamps
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko.stamp import QRStampStyle

        page, x, y, w, h = pades.signature_box(pdf, 0)
        meta = signers.PdfSignatureMetadata(
            field_name="Tanda_Tangan_1",
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        spec = fields.SigFieldSpec(
            "Tanda_Tangan_1", box=(int(x), int(y), int(x + w), int(y + h)), on_page=page
        )
        out = io.BytesIO()
        ours_style, text = stamps.signature_appearance(self.visible())
        style = QRStampStyle(**{f.name: getattr(ours_style, f.name) for f in dc_fields(ours_style)})
        signers.PdfSigner(
            meta,
            signer=self.stock_signer,
            timestamper=tsa,
            stamp_style=style,
            new_field_spec=spec,
        ).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)),
            bytes_reserved=reserved,
            output=out,
            appearance_text_params=text,
        )
        return out.getvalue()

    def ours(self, pdf: bytes, slot: int = 0, with_stamps: bool = True) -> bytes:
        from eoffice.signing import pades, pades_models

        letter_stamps = pades_models.LetterStamps(
            "800.1.2.2/12/KOMINFO/2026",
            "Malili, 28 November 2026",
            "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik.",
        )
        return pades.sign_pdf(
            pdf,
            self.key,
            tsa_url=self.tsa_url,
            visible=self.visible(slot, SIGNERS[slot]),
            stamps=letter_stamps if with_stamps else None,
        ).pdf

    def three(self, pdf: bytes) -> bytes:
        for slot in range(len(SIGNERS)):
            pdf = self.ours(pdf, slot, with_stamps=slot == 0)
        return pdf


def _letter() -> tuple[bytes, bytes]:
    sys.path.insert(0, str(ROOT / "tests"))
    from support.pdfs import big_scan_pdf, one_page_pdf

    return one_page_pdf(), big_scan_pdf(SCAN_MEGABYTES)


def measure(
    rounds: int = ROUNDS,
    scan_rounds: int = SCAN_ROUNDS,
    production_rounds: int | None = None,
) -> SigningReport:
    """``production_rounds``: by default a third of ``rounds``, at least 3 (each drafts a letter
    through the API first, untimed)."""
    from eoffice.signing.verify import verify_pdf

    from bench.signing_production import PkiProxy, production

    context = multiprocessing.get_context("spawn")
    ours_end, child_end = context.Pipe()
    child = context.Process(target=_serve_pki, args=(child_end,), daemon=True)
    child.start()
    try:
        material = ours_end.recv()
        tsa_url = material["tsa_url"]
        if production_rounds is None:
            production_rounds = max(MIN_PRODUCTION_ROUNDS, rounds // 3)
        proxy = PkiProxy(ours_end, material["root"])
        with tempfile.TemporaryDirectory() as workdir, production(tsa_url, proxy) as prod:
            bench = _Bench(material, Path(workdir))
            letter, scan = _letter()
            timings, checks = Timings(), []
            for warm_up in (bench.stock, bench.naive, bench.ours):  # imports, dummy TSA tokens
                warm_up(letter)
            levels = {prod.sign(prod.ready(letter))}  # the handler's imports, its caches
            for number in range(rounds):
                _timed(timings, "naive", bench.naive, letter)
                _timed(timings, "stock", bench.stock, letter)
                signed = _timed(timings, "ours", bench.ours, letter)
                if number < production_rounds:
                    letter_id = prod.ready(letter)
                    levels.add(_timed(timings, "production", prod.sign, letter_id))
            for _ in range(scan_rounds):
                _timed(timings, "stock_scan", bench.stock, scan)
                _timed(timings, "ours_scan", bench.ours, scan)
            for _ in range(max(3, rounds // 3)):
                three = _timed(timings, "three_signers", bench.three, letter)
                one_report = _timed(timings, "verify_one", verify_pdf, signed, bench.roots)
                three_report = _timed(timings, "verify_three", verify_pdf, three, bench.roots)
            if levels != {"B-LT"}:
                checks.append(f"the production path signed {sorted(levels)}, not B-LT")
            if not one_report.all_valid:
                checks.append("the one-signature letter does not verify")
            if not (three_report.all_valid and three_report.signature_count == len(SIGNERS)):
                checks.append("the three-signer letter does not verify")
    finally:
        ours_end.send("stop")
        child.join(timeout=10)
        if child.is_alive():
            child.terminate()
    return SigningReport(
        rounds, scan_rounds, len(letter) / 1024, len(scan) / 1024 / 1024, timings, checks
    )
