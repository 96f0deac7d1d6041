"""The disposition settings (instruction checklist, default deadlines, reach): everyone reads
them, since a client builds its dispose form from them; admins change them."""

from __future__ import annotations

from eoffice.auth import Principal, require_role
from eoffice.dispositions import store
from eoffice.dispositions.models import DispositionSettings
from eoffice.org.models import Role


def get() -> DispositionSettings:
    return store.get_settings()


def replace(principal: Principal, settings: DispositionSettings) -> DispositionSettings:
    require_role(principal, Role.admin)
    store.save_settings(settings)
    return settings
