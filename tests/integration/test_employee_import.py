"""Bulk import from CSV: a clean file applies every row; a file with any bad row applies none
and reports each bad row with its line number."""

from __future__ import annotations

import itertools

from conftest import Api

_sequence = itertools.count(500)

HEADER = "nip,name,unit_code,position,roles,tpp_amount,office,active,username,email\n"


def nip() -> str:
    return f"19920202201702{2}{next(_sequence):03d}"


def row(number: str, username: str, **overrides: str) -> str:
    fields = {
        "nip": number,
        "name": "Pegawai Impor",
        "unit_code": "diskominfo-sp",
        "position": "Pranata Komputer",
        "roles": "staff",
        "tpp_amount": "3.250.000",
        "office": "",
        "active": "ya",
        "username": username,
        "email": f"{username}@lutimkab.go.id",
    }
    fields.update(overrides)
    return ",".join(fields.values()) + "\n"


def post_csv(api: Api, text: str, user: str = "admin", content_type: str = "text/csv"):  # type: ignore[no-untyped-def]
    return api.post(
        "/employees/import", user=user, body=text.encode(), headers={"content-type": content_type}
    )


def test_clean_file_applies_every_row(api: Api) -> None:
    numbers = [nip() for _ in range(30)]
    text = HEADER + "".join(row(n, f"impor.{i:02d}") for i, n in enumerate(numbers))
    answer = post_csv(api, text)
    assert answer.status == 200, answer.body
    assert answer.json == {"rows": 30, "created": 30, "updated": 0}
    for number in numbers[:3]:
        employee = api.get(f"/employees/{number}", user="admin").json
        assert employee["tpp_amount"] == 3_250_000
        assert employee["position_id"] is not None
    assert api.get("/me", user="impor.07").json["employee"]["nip"] == numbers[7]


def test_reimport_updates_and_is_idempotent(api: Api) -> None:
    number = nip()
    first = HEADER + row(number, "impor.ulang", tpp_amount="1000000")
    assert post_csv(api, first).json["created"] == 1
    second = HEADER + row(number, "impor.ulang", tpp_amount="2000000")
    assert post_csv(api, second).json == {"rows": 1, "created": 0, "updated": 1}
    assert post_csv(api, second).json == {"rows": 1, "created": 0, "updated": 1}
    assert api.get(f"/employees/{number}", user="admin").json["tpp_amount"] == 2_000_000


def test_file_with_bad_rows_applies_none_and_reports_each(api: Api) -> None:
    good = nip()
    duplicate = nip()
    text = (
        HEADER
        + row(good, "impor.baik")  # line 2: fine
        + row("123", "impor.nip")  # line 3: bad NIP
        + row(nip(), "impor.unit", unit_code="NO-SUCH-UNIT")  # line 4
        + row(duplicate, "impor.dup1")  # line 5
        + row(duplicate, "impor.dup2")  # line 6: same NIP as line 5
        + row(nip(), "admin")  # line 7: username of someone else
        + row(nip(), "impor.uang", tpp_amount="tiga juta")  # line 8
        + row(nip(), "impor.peran", roles="staff;raja")  # line 9
        + row(nip(), "impor.jabatan", position="Jabatan Khayalan")  # line 10
    )
    answer = post_csv(api, text)
    assert answer.status == 422
    assert answer.content_type == "application/problem+json"
    assert answer.json["code"] == "import_rejected"
    assert [r["row"] for r in answer.json["rows"]] == [3, 4, 6, 7, 8, 9, 10]
    messages = {r["row"]: " ".join(r["messages"]) for r in answer.json["rows"]}
    assert "18 digits" in messages[3]
    assert "NO-SUCH-UNIT" in messages[4]
    assert "line 5" in messages[6]
    assert "belongs to NIP" in messages[7]
    assert api.get(f"/employees/{good}", user="admin").status == 404, "nothing may be written"
    assert api.get(f"/employees/{duplicate}", user="admin").status == 404


def test_header_type_and_role_are_checked(api: Api) -> None:
    assert post_csv(api, "nip,name\n1,2\n").json["code"] == "invalid_csv_header"
    assert post_csv(api, HEADER, content_type="application/json").status == 415
    assert post_csv(api, HEADER + row(nip(), "impor.staf"), user="staf.kominfo").status == 403
