"""The e-mail a notification becomes (pure): subject, the link, the plain text and the HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from eoffice.notifications import email_wording
from eoffice.notifications.models import Message

APP = "https://eoffice.luwutimurkab.go.id"


def _message(**changes: object) -> Message:
    values: dict[str, object] = {
        "notification_id": "n-1",
        "nip": "198203152006041002",
        "kind": "draft_to_sign",
        "title": "Konsep surat menunggu tanda tangan",
        "body": "Konsep surat keluar Nomor 005/12/DISKOMINFO menunggu tanda tangan Anda.",
        "path": "/keluar/7c1e",
    }
    values.update(changes)
    return Message(**values)  # type: ignore[arg-type]


class _Reader(HTMLParser):
    """What a mail program makes of the HTML: its text, its links, and every tag it met."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.links.extend(v or "" for k, v in attrs if k == "href")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def test_the_subject_is_the_title_after_the_applications_name() -> None:
    assert email_wording.subject(_message()) == (
        "e-Office Luwu Timur: Konsep surat menunggu tanda tangan"
    )


def test_an_urgent_subject_says_so_and_a_subject_is_one_line() -> None:
    message = _message(title="  Disposisi\r\namat\tsegera ", urgent=True)
    assert email_wording.subject(message) == "e-Office Luwu Timur: [Segera] Disposisi amat segera"


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        (APP, "/surat/9f3a", f"{APP}/surat/9f3a"),
        (APP + "/", "/surat/9f3a", f"{APP}/surat/9f3a"),
        (APP, "surat/9f3a", f"{APP}/surat/9f3a"),
        (APP, "/surat/9f3a?tab=riwayat#disposisi", f"{APP}/surat/9f3a?tab=riwayat#disposisi"),
        (APP, '/cari?q=surat "PU"', f"{APP}/cari?q=surat%20%22PU%22"),
        (APP, "/surat/a%2Fb", f"{APP}/surat/a%2Fb"),
        ("http://localhost:5173", "/", "http://localhost:5173/"),
    ],
)
def test_the_link_joins_the_apps_address_and_the_path(base: str, path: str, expected: str) -> None:
    assert email_wording.link(base, path) == expected


def test_the_plain_text_holds_title_body_link_and_footer() -> None:
    message = _message()
    text = email_wording.compose(message, APP).text
    lines = text.splitlines()
    assert lines[0] == message.title
    assert message.body in lines
    assert f"Buka di e-Office: {APP}/keluar/7c1e" in lines
    assert lines[lines.index("-- ") + 1].startswith("Anda menerima e-mail ini karena")
    assert "menu Pengaturan notifikasi" in text


def test_the_html_reads_as_the_text_does_with_a_button() -> None:
    message = _message()
    content = email_wording.compose(message, APP)
    reader = _read(content.html)
    assert reader.links[0] == f"{APP}/keluar/7c1e"
    assert set(reader.links) == {f"{APP}/keluar/7c1e"}
    assert "Buka di e-Office" in reader.text
    assert message.title in reader.text
    assert message.body in reader.text
    footer = " ".join(reader.text)
    assert "Anda menerima e-mail ini karena" in footer
    assert "Pengaturan notifikasi" in footer
    assert '<html lang="id">' in content.html


def test_nothing_in_the_message_becomes_markup() -> None:
    message = _message(
        title="<h1>Judul</h1>",
        body='Perihal <a href="https://jahat.example">klik</a> & <script>x()</script>',
        path='/surat/1"onmouseover="x()',
    )
    content = email_wording.compose(message, APP)
    reader = _read(content.html)
    assert "script" not in reader.tags
    assert reader.tags.count("h1") == 1  # only the layout's own heading
    assert all(link.startswith(f"{APP}/surat/1") for link in reader.links)
    assert "https://jahat.example" not in reader.links
    assert message.body in reader.text  # shown as the words it is
    assert "<h1>Judul</h1>" in reader.text


def test_each_line_of_the_body_is_a_paragraph() -> None:
    content = email_wording.compose(_message(body="Baris satu.\n\nBaris dua."), APP)
    assert '<p style="margin:0 0 12px">Baris satu.</p>' in content.html
    assert '<p style="margin:0 0 12px">Baris dua.</p>' in content.html


def test_an_urgent_message_is_marked_in_both_bodies() -> None:
    content = email_wording.compose(_message(urgent=True), APP)
    assert content.text.startswith("[Segera] ")
    assert "[Segera]" in _read(content.html).text
    assert "[Segera]" not in _read(email_wording.compose(_message(), APP).html).text
