"""New versions of a draft, uploaded through the intake bucket (``drafts/{outgoing_id}/...``)
and checked like any letter file; only a PDF that is not encrypted becomes a version. Versions
follow the uploads' own times (S3's LastModified): an upload whose event arrives after a newer
one's is refused as superseded (kept in quarantine), not made current.

Called by the intake function for each S3 event; events arrive at least once and out of order,
so the version's file id is the event id of the object version, and a redelivery finds it. A
refused upload is told to the author on the draft itself (``refused_uploads``, history
``version_refused``), since the upload's 202 only said that it arrived.
"""

from __future__ import annotations

from eoffice import clock, events, object_store
from eoffice.errors import Conflict
from eoffice.intake.models import Handled, Outcome, StoredObject
from eoffice.intake.refusals import refusal_details, refuse
from eoffice.letters.file_rules import FileKind, RejectedFile, inspect
from eoffice.letters.models import HistoryAction, HistoryEntry, Rejection
from eoffice.outgoing import rules, store
from eoffice.outgoing.drafts import DRAFTS_PREFIX, restart_chain, version_key
from eoffice.outgoing.models import DraftVersion, Outgoing, RefusedUpload

_ATTEMPTS = 5
_REFUSALS_KEPT = 10


def outgoing_id_of(key: str) -> str | None:
    if key.startswith(DRAFTS_PREFIX):
        return key[len(DRAFTS_PREFIX) :].split("/", 1)[0] or None
    return None


def accept(item: StoredObject) -> Handled:
    """Make the uploaded file the draft's next version, or refuse it with a reason."""
    outgoing_id = outgoing_id_of(item.key) or ""
    found = store.get(outgoing_id)
    if found is None:
        return _refused(
            item, "unknown_letter", f"no outgoing letter {outgoing_id} awaits this upload"
        )
    if any(v.file_id == item.event_id for v in found[0].versions):
        object_store.remove_from_intake(item.key)
        return Handled(Outcome.version_already_recorded, outgoing_id)
    if not rules.is_editable(found[0]):
        return _refused(
            item, "not_a_draft", f"the letter is {found[0].status.value}; it takes no new version"
        )
    data = object_store.read(item.bucket, item.key, item.version)
    try:
        inspection = inspect(data, max_bytes=object_store.max_upload_bytes())
    except RejectedFile as rejected:
        return _refused(item, rejected.reason.value, rejected.detail)
    if inspection.kind is not FileKind.pdf:
        return _refused(item, "unsupported_type", "a draft to be signed must be a PDF")
    object_store.keep_file(
        version_key(outgoing_id, item.event_id),
        data,
        "application/pdf",
        inspection.sha256,
        owner=outgoing_id,
    )
    try:
        outcome = _record(found, item, inspection.sha256, inspection.size, inspection.pages)
    except _Late as late:
        return _refused(item, "not_a_draft", f"the letter is {late}; it takes no new version")
    except _Superseded:
        detail = "a later upload of this draft is already its current version"
        return _refused(item, "superseded", detail)
    object_store.remove_from_intake(item.key)
    return outcome


class _Late(Exception):
    """The letter's signing started between the first read and the write."""


class _Superseded(Exception):
    """The upload is older than the draft's current version (its event came late)."""


def _refused(item: StoredObject, reason: str, detail: str) -> Handled:
    outgoing_id = outgoing_id_of(item.key)
    rejection, _ = refuse(item, reason, detail, letter_id=outgoing_id)
    if outgoing_id:
        _tell_author(outgoing_id, rejection)
    object_store.remove_from_intake(item.key)
    return Handled(Outcome.refused, outgoing_id, rejection.reason)


def _tell_author(outgoing_id: str, rejection: Rejection) -> None:
    """Record the refusal where the draft's author looks: the draft's ``refused_uploads`` and
    its history. Once per rejection, also when an interrupted delivery comes again. A letter
    whose signing started is not rewritten for it (a signature must not meet a changed
    record): its history alone says so."""
    entry = HistoryEntry(
        at=rejection.rejected_at,
        action=HistoryAction.version_refused,
        details=refusal_details(rejection),
    )
    refused = RefusedUpload(
        rejection_id=rejection.rejection_id,
        reason=rejection.reason,
        detail=rejection.detail,
        key=rejection.original_key,
        size=rejection.size,
        rejected_at=rejection.rejected_at,
    )
    for _ in range(_ATTEMPTS):
        found = store.get(outgoing_id, consistent=True)
        if found is None:
            return
        outgoing, rev = found
        if any(r.rejection_id == rejection.rejection_id for r in outgoing.refused_uploads):
            return
        if not rules.is_editable(outgoing):
            told = {e.details.get("rejection_id") for e in store.history(outgoing_id)}
            if rejection.rejection_id not in told:
                store.append_history(outgoing_id, entry)
            return
        listed = [*outgoing.refused_uploads, refused][-_REFUSALS_KEPT:]
        try:
            store.save(outgoing.model_copy(update={"refused_uploads": listed}), rev, entry)
            return
        except Conflict:
            continue
    raise Conflict(f"outgoing letter {outgoing_id} kept changing; the refusal will be retried")


def _record(
    found: tuple[Outgoing, int], item: StoredObject, sha256: str, size: int, pages: int
) -> Handled:
    for _ in range(_ATTEMPTS):
        outgoing, rev = found
        if any(v.file_id == item.event_id for v in outgoing.versions):
            return Handled(Outcome.version_already_recorded, outgoing.outgoing_id)
        if not rules.is_editable(outgoing):  # its signing started since the file was checked
            raise _Late(outgoing.status.value)
        now = clock.utcnow()
        uploaded = item.uploaded_at or now
        if outgoing.versions and uploaded < outgoing.versions[-1].uploaded_at:
            raise _Superseded  # an older upload arriving after a newer one (events reorder)
        number = (outgoing.current_version or 0) + 1
        version = DraftVersion(
            version=number,
            file_id=item.event_id,
            sha256=sha256,
            size=size,
            pages=pages,
            uploaded_at=uploaded,
            uploaded_by=outgoing.author_nip,
        )
        updated = restart_chain(
            outgoing.model_copy(
                update={"versions": [*outgoing.versions, version], "updated_at": now}
            ),
            outgoing.reviews,
        )
        entry = HistoryEntry(
            at=now,
            action=HistoryAction.version_uploaded,
            actor_nip=outgoing.author_nip,
            details={"version": number, "sha256": sha256, "pages": pages},
        )
        try:
            store.save(updated, rev, entry)
        except Conflict:
            found = store.get(outgoing.outgoing_id, consistent=True) or found
            continue
        events.publish(
            "outgoing",
            "OutgoingVersionUploaded",
            {"outgoing_id": outgoing.outgoing_id, "version": number},
        )
        return Handled(Outcome.version_recorded, outgoing.outgoing_id, str(number))
    raise Conflict(
        f"outgoing letter {found[0].outgoing_id} kept changing; the upload will be retried"
    )
