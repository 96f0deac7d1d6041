"""A person's notification preferences: read (his own, or the regency's defaults) and changed by
himself. His WhatsApp number is personal data: only he (and hr) see it."""

from __future__ import annotations

from pydantic import ValidationError

from eoffice import clock, settings
from eoffice.auth import Principal
from eoffice.errors import Forbidden, InvalidInput, NotFound
from eoffice.notifications import preference_rules, store
from eoffice.notifications.models import Channel, Preferences, PreferencesUpdate, QuietHours


def of(nip: str) -> Preferences:
    """His own preferences, or the regency's defaults."""
    return store.preferences(nip) or regency_defaults()


def of_employee(principal: Principal, nip: str) -> Preferences:
    """An employee's preferences, his WhatsApp number included: for himself and hr (BKPSDM keeps
    the employees' contact data); nobody else, not even his head (UU 27/2022)."""
    from eoffice.org import store as org_store
    from eoffice.org.models import Role

    if nip != principal.nip and not principal.has_any(Role.hr):
        raise Forbidden("only he and hr may see how he is told", code="not_hr")
    if nip != principal.nip and org_store.get_employee(nip) is None:
        raise NotFound("no such employee", code="employee_not_found")
    return of(nip)


def regency_defaults() -> Preferences:
    config = settings.get(settings.NotifyDefaults)
    channels = [Channel(c.strip()) for c in config.default_channels.split(",") if c.strip()]
    return preference_rules.defaults(channels, quiet_hours(config.default_quiet_hours))


def quiet_hours(text: str) -> QuietHours | None:
    """``"21:00-06:00"`` (the template parameter) as quiet hours; empty: none."""
    if not text.strip():
        return None
    start, _, end = text.partition("-")
    return QuietHours.model_validate({"start": start.strip(), "end": end.strip()})


def update(principal: Principal, change: PreferencesUpdate) -> Preferences:
    """He changes his own preferences; what he leaves out stays as it was."""
    current = of(principal.nip)
    values = change.model_dump(exclude_unset=True, exclude={"clear_quiet_hours"})
    for name in ("channels", "urgent_only", "quiet_hours"):  # null: leave it as it is
        if values.get(name, ...) is None:
            del values[name]
    if "whatsapp_number" in values:  # empty: he erases his number
        values["whatsapp_number"] = (
            _phone(values["whatsapp_number"]) if values["whatsapp_number"] else None
        )
    if change.clear_quiet_hours:
        values["quiet_hours"] = None
    try:
        updated = Preferences.model_validate(
            {**current.model_dump(), **values, "updated_at": clock.utcnow()}
        )
    except ValidationError as error:  # what the change asks cannot be a person's preferences
        raise InvalidInput(str(error.errors()[0]["msg"]), code="invalid_preferences") from None
    if Channel.whatsapp in updated.channels and not updated.whatsapp_number:
        raise InvalidInput("WhatsApp needs your number first", code="whatsapp_number_missing")
    store.save_preferences(principal.nip, updated)
    return updated


def _phone(text: str) -> str:
    from eoffice.notifications import phone_rules

    try:
        return phone_rules.normalise(text)
    except phone_rules.InvalidPhone as error:
        raise InvalidInput(str(error), code="invalid_phone") from None
