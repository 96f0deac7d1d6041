"""The web benchmark's bundle size (bench/webapp.py): what index.html makes the first page load,
gzipped, on a dist folder built here the way Vite lays one out."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from bench import webapp

INDEX = """<!doctype html>
<html lang="id">
  <head>
    <link rel="icon" href="/icon.svg" type="image/svg+xml" />
    <link rel="manifest" href="/manifest.webmanifest">
    <script type="module" crossorigin src="/assets/index-abc.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/vendor-def.js">
    <link rel="modulepreload" crossorigin href="/assets/pdf-ghi.js">
    <link rel="stylesheet" crossorigin href="/assets/index-jkl.css?v=1">
    <script src="https://cdn.example/never.js"></script>
  </head>
  <body><div id="app"></div></body>
</html>"""


def write(dist: Path, name: str, data: bytes) -> bytes:
    path = dist / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    write(folder, "index.html", INDEX.encode())
    write(folder, "assets/index-abc.js", b"export const a = 1;\n" * 400)
    write(folder, "assets/vendor-def.js", os.urandom(20_000))  # does not compress
    write(folder, "assets/pdf-ghi.js", os.urandom(50_000))
    write(folder, "assets/pdf.worker-xyz.mjs", os.urandom(50_000))  # not linked at all
    write(folder, "assets/lazy-screen.js", os.urandom(90_000))  # a dynamic import only
    write(folder, "assets/index-jkl.css", b"body { margin: 0 }\n" * 100)
    write(folder, "icon.svg", b"<svg/>")
    write(folder, "manifest.webmanifest", b"{}")
    return folder


def test_the_first_page_is_its_scripts_stylesheets_and_modulepreloads(dist: Path) -> None:
    assert webapp.first_page_assets(dist) == [
        "assets/index-abc.js",
        "assets/vendor-def.js",
        "assets/pdf-ghi.js",
        "assets/index-jkl.css",
    ]


def test_the_sum_is_gzipped_and_leaves_pdfjs_out(dist: Path) -> None:
    report = webapp.bundle(dist)
    counted = ["assets/index-abc.js", "assets/vendor-def.js", "assets/index-jkl.css"]
    assert [path for path, _, _ in report.files] == counted
    assert report.on_demand == ["assets/pdf-ghi.js"]
    expected = sum(len(gzip.compress((dist / p).read_bytes(), 9, mtime=0)) for p in counted)
    assert report.total_kb == pytest.approx(expected / 1024)
    # The repetitive script shrinks; random bytes do not (about their size, plus gzip's frame).
    sizes = {path: (raw, gz) for path, raw, gz in report.files}
    assert sizes["assets/index-abc.js"][1] < sizes["assets/index-abc.js"][0] / 10
    assert sizes["assets/vendor-def.js"][1] > 20_000
    assert report.failures() == []
    assert "PASS" in report.render()


def test_over_the_budget_fails(dist: Path) -> None:
    report = webapp.bundle(dist, budget_kb=10)
    assert report.total_kb > 10
    (failure,) = report.failures()
    assert "target 10" in failure
    assert "FAIL" in report.render()
