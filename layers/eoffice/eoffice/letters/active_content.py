"""What a PDF may not carry into the archive or to a signer: content a viewer runs, opens or
fetches (docs/decisions/0015-hostile-files.md). Such a file is refused (``active_content``), not
cleaned: the archive keeps what arrived byte for byte (object lock, its SHA-256 on record), a
signer signs exactly the file the reviewers approved, and a clean copy beside a dirty original
would be two documents to keep apart for ten years. The sender prints it to PDF again or scans
it, which removes all of it.

Refused, wherever it is in the document (the rule follows PDF/A, which forbids the same):
- JavaScript: a ``/JS`` entry, the document's ``/JavaScript`` name tree, any JavaScript action;
- actions that start or fetch something outside the document: Launch, SubmitForm, ImportData,
  GoToR and GoToE (another file), Rendition, Movie, Sound, RichMediaExecute;
- an action run without a click (``/OpenAction``, or any ``/AA`` additional action), unless it
  only moves inside the document (GoTo, Named): an address fetched on opening is a beacon;
- a link (URI action) to anything but ``http:``, ``https:`` or ``mailto:`` (``file:`` opens a
  network share and hands it the user's credentials; ``javascript:`` runs script);
- embedded files (the ``/EmbeddedFiles`` name tree, ``/EF`` in a file specification, embedded
  file streams) and annotations that carry media or files: FileAttachment, RichMedia, 3D,
  Movie, Sound, Screen;
- XFA forms (``/XFA``): a second, scriptable document inside the PDF.
Kept: clicked links to web and mail addresses (Word writes them for the letterhead's address),
moves within the document, ordinary form fields without scripts.

The search visits every object reachable from the catalog once, without decoding any stream,
within ``Limits.objects``; names arrive decoded (``/J#61vaScript`` is ``/JavaScript``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eoffice.letters.limits import Budget, TooComplex

_FOREIGN_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "an action that launches a program",
    "/SubmitForm": "an action that sends form data",
    "/ImportData": "an action that imports data",
    "/GoToR": "an action that opens another file",
    "/GoToE": "an action that opens an embedded file",
    "/Rendition": "a media action",
    "/Movie": "a media action",
    "/Sound": "a media action",
    "/RichMediaExecute": "a media action",
}
_INSIDE_ACTIONS = {"/GoTo", "/Named"}  # may run by themselves: they only move within the file
_MEDIA_ANNOTATIONS = {
    "/FileAttachment": "an attached file",
    "/RichMedia": "embedded media",
    "/3D": "embedded 3D content",
    "/Movie": "embedded media",
    "/Sound": "embedded media",
    "/Screen": "embedded media",
}
_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "an attached file",
    "/EF": "an attached file",
    "/XFA": "an XFA form",
}
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_CHECK_TIME_EVERY = 1000  # objects


def find(catalog: Any, budget: Budget) -> list[str]:
    """What in the document is refused, in words for the rejection's detail (empty: nothing).
    ``catalog`` is the document's root dictionary (pypdf's objects are untyped)."""
    from pypdf.generic import DictionaryObject

    found: dict[str, None] = {}
    opening = catalog.get("/OpenAction")
    # What a viewer runs by itself: /OpenAction, unless it is a plain destination (an array),
    # and every /AA entry anywhere (document, pages, annotations, form fields).
    triggers = [opening] if opening is not None else []
    for node in _dictionaries(catalog, budget):
        found.update(dict.fromkeys(_judge(node)))
        additional = node.get("/AA")
        if additional is not None and isinstance(additional.get_object(), DictionaryObject):
            triggers.extend(additional.get_object().values())
    for action in _actions(triggers, budget):
        if str(action.get("/S", "")) not in _INSIDE_ACTIONS:
            found["an action that runs by itself when the document is opened or viewed"] = None
    return list(found)


def _judge(node: Any) -> Iterator[str]:
    for key, what in _KEYS.items():
        if key in node:
            yield what
    if node.get("/Type") == "/EmbeddedFile":
        yield "an attached file"
    subtype = str(node.get("/Subtype", ""))
    if subtype in _MEDIA_ANNOTATIONS:
        yield _MEDIA_ANNOTATIONS[subtype]
    kind = str(node.get("/S", ""))
    if kind in _FOREIGN_ACTIONS:
        yield _FOREIGN_ACTIONS[kind]
    if kind == "/URI" and not _web_link(node.get("/URI")):
        yield "a link to something other than a web or mail address"


def _web_link(target: Any) -> bool:
    try:
        address = target.get_object()
        text = address.decode("latin-1") if isinstance(address, bytes) else str(address)
    except Exception:  # a URI that is not a string: nothing a viewer could open as a web page
        return False
    return text.strip().lower().startswith(_LINK_SCHEMES)


def _dictionaries(catalog: Any, budget: Budget) -> Iterator[Any]:
    """Every dictionary (streams included) reachable from ``catalog``, each object once."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [catalog]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        visited += 1
        if visited > budget.limits.objects:
            raise TooComplex(f"it has more than {budget.limits.objects:,} objects")
        if visited % _CHECK_TIME_EVERY == 0:
            budget.check_time()
        if isinstance(node, DictionaryObject):
            yield node
            stack.extend(value for key, value in node.items() if key != "/Parent")
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _actions(first: list[Any], budget: Budget) -> Iterator[Any]:
    """The actions ``first`` names and those they run next (``/Next``: one action or an array
    of them), each once; a destination (an array of a page and a view) is no action."""
    from pypdf.generic import ArrayObject, DictionaryObject

    pending, seen = list(first), set()
    while pending:
        action = pending.pop().get_object()
        if not isinstance(action, DictionaryObject) or id(action) in seen:
            continue
        seen.add(id(action))
        if len(seen) > budget.limits.objects:
            raise TooComplex(f"its actions run more than {budget.limits.objects:,} others")
        yield action
        follows = action.get("/Next")
        if follows is not None:
            follows = follows.get_object()
            pending.extend(follows if isinstance(follows, ArrayObject) else [follows])
