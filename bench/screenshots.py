"""``python -m bench --only screenshots``: the web app's main screens on a tablet (1280x800) and a
phone (390x844), as PNG files in docs/screenshots/, taken from a seeded throw-away environment so
anyone can take them again after a screen changes.

The environment: the demo regency, a few letters registered by tu.kominfo (scan, intake) and
disposed to kadis.kominfo, some of them forwarded to staf.kominfo. The API on a free port, the
built app beside it (bench/webapp.py serves it), and Playwright in Debian's chromium
(``bench/web/screenshots.mjs``) signed in as each screen's user."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from bench import webapp

OUT = webapp.ROOT / "docs" / "screenshots"
STACK = "eoffice-bench-screenshots"
LETTERS = 8
FORWARDED = 3
STAFF = "staf.kominfo"


def progress(text: str) -> None:
    print(f"  [screenshots] {text}", file=sys.stderr, flush=True)


def shots(letter: str, assignment: str) -> list[dict[str, Any]]:
    """Each screen: its file name, the user (None: signed out), the path, what to wait for."""
    head = webapp.HEAD
    return [
        {"name": "masuk", "user": None, "path": "/", "wait": ".landing h1"},
        # The local sign-in stand-in (eoffice dev's, playing the user pool's managed login),
        # reached through the app's button; skipped where the checkout has no stand-in.
        {
            "name": "masuk-lokal",
            "user": None,
            "path": "/",
            "wait": ".landing h1",
            "click": ".landing button",
            "then": "h1",
        },
        {"name": "kotak-masuk", "user": head, "path": "/", "wait": '[data-testid="inbox"] li'},
        {
            "name": "surat",
            "user": head,
            "path": f"/surat/{letter}?tugas={assignment}",
            "wait": "main h1",
            "pdf": True,
        },
        {
            "name": "disposisi",
            "user": head,
            "path": f"/surat/{letter}/disposisi",
            "wait": "main h1",
        },
        {"name": "ikhtisar", "user": head, "path": "/ikhtisar", "wait": "main h1"},
        {"name": "tugas", "user": STAFF, "path": "/tugas", "wait": "main h1"},
    ]


def seed(env: Any) -> tuple[str, str]:
    """The letters; the head forwards the first few to his staff; the letter and the head's
    assignment the letter screens show (one not forwarded, so the disposition form is open)."""
    from bench.dispositions import Client, _dispose_body, _nips

    letters = webapp.seed_inbox(env, LETTERS)
    client = Client(env)
    nip = _nips()[STAFF]
    for index, letter_id in enumerate(letters[:FORWARDED]):
        path = f"/letters/{letter_id}/dispositions"
        sample, answer = client.call("POST", path, webapp.HEAD, _dispose_body(nip))
        if sample.status != 201:
            raise RuntimeError(f"forwarding {letter_id} answered {sample.status}: {answer}")
        # The staff member works on the first two and reports the first done (the overview's
        # figures, the tree's statuses).
        held = f"/letters/{letter_id}/assignments/{answer['assignments'][0]['assignment_id']}"
        steps = [("start", None), ("complete", {"report": "Sudah ditindaklanjuti."})][: 2 - index]
        for step, body in steps:
            sample, done = client.call("POST", f"{held}/{step}", STAFF, body)
            if sample.status != 200:
                raise RuntimeError(f"{step} on {held} answered {sample.status}: {done}")
    sample, page = client.call("GET", "/me/inbox?limit=50", webapp.HEAD)
    shown = next(i for i in page["items"] if i["letter_id"] == letters[-1])
    return letters[-1], str(shown["assignment_id"])


def take(out: Path = OUT) -> list[Path]:
    import os

    from eoffice_local.emulator import free_port

    from bench.environment import local_environment

    progress("npm run build")
    webapp.build()
    out.mkdir(parents=True, exist_ok=True)
    with local_environment(STACK, 0) as env, Path(os.devnull).open("w") as sink:
        env.workers.logs = sink
        progress(f"{LETTERS} letters registered and disposed")
        letter, assignment = seed(env)
        api = env.serve(port=free_port())
        web_url, _, served_by = webapp.serve_app(env, api.url, free_port(), signin=True)
        progress(f"chromium against {web_url} ({served_by})")
        users = {u: webapp.stored_user(env, u, web_url) for u in (webapp.HEAD, STAFF)}
        order = {
            "webUrl": web_url,
            "chromium": webapp.CHROMIUM,
            "users": users,
            "shots": [
                s for s in shots(letter, assignment) if "click" not in s or env.signin is not None
            ],
            "out": str(out),
        }
        answer = webapp.node("screenshots.mjs", order, timeout=900)
    return [Path(p) for p in answer["files"]]
