"""Checking a check-in's selfie: is what the phone uploaded under the id it names a usable photo
of his, and which photo is it (its hash, to spot one used twice). Reads the bucket through
``selfie_store.py``; the judgement is ``selfie_rules.py``."""

from __future__ import annotations

from eoffice.attendance import selfie_store
from eoffice.attendance.models import SelfieProblem
from eoffice.attendance.selfie_rules import SelfieCheck, check_content, key_of


def inspect(nip: str, selfie_id: str) -> SelfieCheck:
    """Check the uploaded selfie by content and hash it. Bad content never raises (the check-in
    is still recorded, flagged); only infrastructure errors do."""
    try:
        key = key_of(nip, selfie_id)
    except ValueError:
        return SelfieCheck(ok=False, key="", problem=SelfieProblem.selfie_not_found)
    data = selfie_store.read(key)
    if isinstance(data, SelfieProblem):
        return SelfieCheck(ok=False, key=key, problem=data)
    problem, dhash = check_content(data)
    return SelfieCheck(ok=problem is None, key=key, problem=problem, dhash=dhash)
