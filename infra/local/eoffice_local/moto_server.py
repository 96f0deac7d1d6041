"""moto's server, with DynamoDB writes made atomic with respect to each other.

moto serves requests on threads, and its TransactWriteItems applies each write and, on a failed
condition, restores a snapshot of the whole table: a write another thread made meanwhile is then
lost, and a half-applied transaction is visible. DynamoDB guarantees that transactions are
isolated, and the agenda numbering (letters) relies on it; so this launcher serialises moto's
DynamoDB operations behind one lock. Run as ``python -m eoffice_local.moto_server -H HOST -p PORT``.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from typing import Any

_LOCK = threading.RLock()
_SERIALISED = (
    "put_item",
    "get_item",
    "query",
    "update_item",
    "delete_item",
    "transact_write_items",
)


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    return locked


def make_dynamodb_isolated() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    for name in _SERIALISED:
        setattr(DynamoDBBackend, name, _serialised(getattr(DynamoDBBackend, name)))


def main(argv: list[str] | None = None) -> None:
    from moto.server import main as moto_main

    make_dynamodb_isolated()
    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
