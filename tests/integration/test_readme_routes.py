"""The README's route list under "API conventions" names every route of /openapi.json, and no
other: a new route must be listed to pass."""

from __future__ import annotations

from support.api import Api
from support.readme import README, listed_routes

METHODS = {"get", "put", "post", "patch", "delete"}


def test_the_readme_lists_every_route(api: Api) -> None:
    paths = api.get("/openapi.json").json["paths"]
    served = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    served = {(m, p) for m, p in served if m.lower() in METHODS}
    listed = listed_routes(README.read_text(encoding="utf-8"))
    assert not served - listed, f"routes missing from README's list: {sorted(served - listed)}"
    assert not listed - served, f"README lists routes that do not exist: {sorted(listed - served)}"
