"""A file sent by a browser's HTML form (``multipart/form-data``): what the public pages that work
without JavaScript receive. Parsed with the standard library's MIME parser, bytes kept as sent.

The parser recurses into nested multipart parts, which no browser sends: a body nesting them
deeper than Python's recursion limit (some 130 KB of body) is a form that cannot be read,
not a 500.
"""

from __future__ import annotations

from eoffice.errors import InvalidInput


def file_field(body: bytes, content_type: str, name: str) -> bytes:
    """The bytes of the form's field ``name`` (a file input), or 422 ``file_missing`` when the
    form has none or it is empty (no file chosen), 422 ``form_invalid`` when ``body`` is not a
    multipart form at all."""
    from email import policy
    from email.parser import BytesParser

    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", errors="replace")
    try:
        message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    except RecursionError:
        raise InvalidInput("the body is not a multipart form", code="form_invalid") from None
    if not message.is_multipart() or message.defects:
        raise InvalidInput("the body is not a multipart form", code="form_invalid")
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == name:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                return data
            break
    raise InvalidInput(f"choose a file for the form's field '{name}'", code="file_missing")
