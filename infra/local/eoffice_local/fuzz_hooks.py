"""Schemathesis hooks for :mod:`eoffice_local.fuzz` (``SCHEMATHESIS_HOOKS``): the raw bodies
the API takes (a PDF, a CSV) are sent as the bytes generated for them."""

from __future__ import annotations

import schemathesis

schemathesis.serializer.alias(["application/pdf", "text/csv"], "application/octet-stream")
