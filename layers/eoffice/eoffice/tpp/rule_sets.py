"""Publishing and choosing TPP rule sets. hr publishes; a published version never changes (the
store writes each version once). A month is computed with the version effective on its first
day: the latest ``effective_from`` on or before it, and of two on the same day the higher
version."""

from __future__ import annotations

from datetime import date

from eoffice import clock
from eoffice.auth import Principal, require_role
from eoffice.errors import InvalidInput, NotFound
from eoffice.org.models import Role
from eoffice.tpp import store
from eoffice.tpp.rule_set_models import RuleSet, RuleSetCreate

SYSTEM = "system"


def publish(principal: Principal, data: RuleSetCreate) -> RuleSet:
    require_role(principal, Role.hr)
    return publish_as(principal.nip, data)


def publish_as(by: str, data: RuleSetCreate) -> RuleSet:
    """The next version number; two concurrent publications: the second gets 409."""
    existing = store.rule_sets()
    number = max((r.version for r in existing), default=0) + 1
    published = RuleSet(
        **data.model_dump(), version=number, published_at=clock.utcnow(), published_by=by
    )
    store.add_rule_set(published)
    return published


def ensure_default() -> RuleSet:
    """Version 1 is the domain reference's default, when nothing was published yet (demo data
    and a new regency)."""
    from eoffice.tpp.defaults import default_rule_set

    existing = store.rule_sets()
    return existing[0] if existing else publish_as(SYSTEM, default_rule_set())


def list_all(principal: Principal) -> list[RuleSet]:
    require_role(principal, Role.hr, Role.admin)
    return store.rule_sets()


def get(principal: Principal, version: int) -> RuleSet:
    require_role(principal, Role.hr, Role.admin)
    return _version_or_404(version)


def for_month(first_day: date, version: int | None = None) -> RuleSet:
    """The version asked for, else the one effective on ``first_day`` (422 when none is)."""
    if version is not None:
        return _version_or_404(version)
    found = effective_on(store.rule_sets(), first_day)
    if found is None:
        raise InvalidInput(
            f"no TPP rule set is effective on {first_day.isoformat()}", code="no_rule_set"
        )
    return found


def effective_on(published: list[RuleSet], day: date) -> RuleSet | None:
    """The latest ``effective_from`` on or before ``day``; of two on one day, the later version."""
    effective = [r for r in published if r.effective_from <= day]
    return max(effective, key=lambda r: (r.effective_from, r.version), default=None)


def _version_or_404(version: int) -> RuleSet:
    found = store.rule_set(version)
    if found is None:
        raise NotFound(f"rule set version {version} does not exist", code="rule_set_not_found")
    return found
