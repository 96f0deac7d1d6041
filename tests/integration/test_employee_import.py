"""Bulk import from CSV: a clean file applies every row; a file with any bad row applies none
and reports each bad row with its line number."""

from __future__ import annotations

import uuid
from typing import Any

from support.api import Api
from support.nips import fresh_nip

HEADER = "nip,name,unit_code,position,roles,tpp_amount,office,active,username,email\n"


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


def counts(report: dict[str, Any]) -> dict[str, Any]:
    """The report's row counts (its sign_ins and dry_run are tested in test_sign_ins)."""
    return {key: report[key] for key in ("rows", "created", "updated")}


def post_csv(api: Api, text: str, user: str = "admin", content_type: str = "text/csv"):  # type: ignore[no-untyped-def]
    return api.post(
        "/employees/import", user=user, body=text.encode(), headers={"content-type": content_type}
    )


def test_clean_file_applies_every_row(api: Api) -> None:
    numbers = [fresh_nip() for _ in range(30)]
    text = HEADER + "".join(row(n, f"impor.{i:02d}") for i, n in enumerate(numbers))
    answer = post_csv(api, text)
    assert answer.status == 200, answer.body
    assert counts(answer.json) == {"rows": 30, "created": 30, "updated": 0}
    assert answer.json["dry_run"] is False
    assert answer.json["sign_ins"]["queued"] == 30 and answer.json["sign_ins"]["job_id"]
    for number in numbers[:3]:
        employee = api.get(f"/employees/{number}", user="admin").json
        assert employee["tpp_amount"] == 3_250_000
        assert employee["position_id"] is not None
    assert api.get("/me", user="impor.07").json["employee"]["nip"] == numbers[7]


def test_reimport_updates_and_is_idempotent(api: Api) -> None:
    number = fresh_nip()
    first = HEADER + row(number, "impor.ulang", tpp_amount="1000000")
    assert post_csv(api, first).json["created"] == 1
    second = HEADER + row(number, "impor.ulang", tpp_amount="2000000")
    assert counts(post_csv(api, second).json) == {"rows": 1, "created": 0, "updated": 1}
    assert counts(post_csv(api, second).json) == {"rows": 1, "created": 0, "updated": 1}
    assert api.get(f"/employees/{number}", user="admin").json["tpp_amount"] == 2_000_000


def test_a_changed_amount_is_paid_from_this_month_and_a_file_without_it_keeps_it(
    api: Api,
) -> None:
    from eoffice import clock

    number, month = fresh_nip(), clock.today().strftime("%Y-%m")
    person = {"nip": number, "name": "Pegawai Naik", "unit_code": "DISKOMINFO-SP"}
    person["username"] = f"naik.{number[-4:]}"
    header = "nip,name,unit_code,username,tpp_amount"
    assert post_csv(api, csv_text(header, {**person, "tpp_amount": "1.000.000"})).status == 200
    assert api.get(f"/employees/{number}", user="admin").json["tpp_amounts"] == []
    assert post_csv(api, csv_text(header, {**person, "tpp_amount": "1.250.000"})).status == 200
    raised = api.get(f"/employees/{number}", user="admin").json
    assert (raised["tpp_amount"], raised["tpp_amounts"]) == (
        1_250_000,
        [{"from_month": None, "amount": 1_000_000}, {"from_month": month, "amount": 1_250_000}],
    )
    plain = csv_text("nip,name,unit_code,username", person)
    assert counts(post_csv(api, plain).json) == {"rows": 1, "created": 0, "updated": 1}
    kept = api.get(f"/employees/{number}", user="admin").json
    assert (kept["tpp_amount"], kept["tpp_amounts"]) == (
        raised["tpp_amount"],
        raised["tpp_amounts"],
    )
    later = {"tpp_amount": 1_400_000, "tpp_amount_from": "2099-01"}
    planned = api.patch(f"/employees/{number}", user="admin", json_body=later).json
    assert planned["tpp_amounts"][-1] == {"from_month": "2099-01", "amount": 1_400_000}
    # The amount shown (the latest) sent again is no change: the raise stays in 2099.
    again = csv_text(header, {**person, "tpp_amount": "1.400.000"})
    assert post_csv(api, again).status == 200
    assert (
        api.get(f"/employees/{number}", user="admin").json["tpp_amounts"] == planned["tpp_amounts"]
    )
    cleared = api.patch(f"/employees/{number}", user="admin", json_body={"tpp_amount": None})
    assert (cleared.status, cleared.json["code"]) == (422, "tpp_amount_required")


def test_file_with_bad_rows_applies_none_and_reports_each(api: Api) -> None:
    good = fresh_nip()
    duplicate = fresh_nip()
    text = (
        HEADER
        + row(good, "impor.baik")  # line 2: fine
        + row("123", "impor.nip")  # line 3: bad NIP
        + row(fresh_nip(), "impor.unit", unit_code="NO-SUCH-UNIT")  # line 4
        + row(duplicate, "impor.dup1")  # line 5
        + row(duplicate, "impor.dup2")  # line 6: same NIP as line 5
        + row(fresh_nip(), "admin")  # line 7: username of someone else
        + row(fresh_nip(), "impor.uang", tpp_amount="tiga juta")  # line 8
        + row(fresh_nip(), "impor.peran", roles="staff;raja")  # line 9
        + row(fresh_nip(), "impor.jabatan", position="Jabatan Khayalan")  # line 10
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
    # each problem also has a stable code and its column, for the web app to say in Bahasa
    problems = {
        r["row"]: [(p["code"], p["column"], p["value"]) for p in r["problems"]]
        for r in answer.json["rows"]
    }
    assert problems[3] == [("invalid_value", "nip", "123")]
    assert problems[4] == [("unknown_unit", "unit_code", "NO-SUCH-UNIT")]
    assert problems[6] == [("duplicate_in_file", "nip", "5")]
    assert problems[7][0][:2] == ("username_taken", "username")
    assert problems[8] == [("invalid_amount", "tpp_amount", "tiga juta")]
    assert problems[9] == [("invalid_value", "roles", "raja")]
    assert problems[10] == [("unknown_position", "position", "Jabatan Khayalan")]
    assert api.get(f"/employees/{good}", user="admin").status == 404, "nothing may be written"
    assert api.get(f"/employees/{duplicate}", user="admin").status == 404


def test_a_file_with_very_many_bad_rows_lists_the_first_thousand(api: Api) -> None:
    """The answer stays far below Lambda's 6 MB: the first 1,000 bad rows and how many there are."""
    text = HEADER + "".join(row("123", f"impor.banyak.{n}") for n in range(1_050))
    answer = post_csv(api, text)
    assert (answer.status, answer.json["code"]) == (422, "import_rejected")
    assert answer.json["rows_invalid"] == 1_050
    assert [r["row"] for r in answer.json["rows"]] == list(range(2, 1_002))
    assert "the first 1000 listed" in answer.json["detail"]


def test_header_type_and_role_are_checked(api: Api) -> None:
    assert post_csv(api, "nip,name\n1,2\n").json["code"] == "invalid_csv_header"
    assert post_csv(api, HEADER, content_type="application/json").status == 415
    assert post_csv(api, HEADER + row(fresh_nip(), "impor.staf"), user="staf.kominfo").status == 403


# ---------------------------------------------------------------- offices
def unit_with_offices(api: Api, *names: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    kominfo = next(u for u in api.get("/units", user="admin").json if u["code"] == "DISKOMINFO-SP")
    unit = api.post(
        "/units",
        user="admin",
        json_body={
            "code": f"IMP-{uuid.uuid4().hex[:8]}",
            "name": "Bidang Impor",
            "kind": "section",
            "parent_id": kominfo["unit_id"],
        },
    ).json
    offices = []
    for name in names:
        body = {"name": name, "unit_id": unit["unit_id"], "latitude": -2.63, "longitude": 121.1}
        answer = api.post("/offices", user="admin", json_body=body)
        assert answer.status == 201, answer.body
        offices.append(answer.json)
    return unit, offices


def csv_text(header: str, *rows: dict[str, str]) -> str:
    columns = header.split(",")
    return header + "\n" + "".join(",".join(r.get(c, "") for c in columns) + "\n" for r in rows)


def test_office_ids_column_and_the_older_office_columns(api: Api) -> None:
    unit, (gedung_a, gedung_b) = unit_with_offices(api, "Gedung A", "Gedung B")
    code = unit["code"]
    both, one, by_name, default = fresh_nip(), fresh_nip(), fresh_nip(), fresh_nip()
    header = "nip,name,unit_code,username,office_ids,office_id,office"
    text = csv_text(
        header,
        {
            "nip": both,
            "name": "Dua Kantor",
            "unit_code": code,
            "username": f"impor.{both[-4:]}",
            "office_ids": f"{gedung_a['office_id']};{gedung_b['office_id']}",
        },
        {
            "nip": one,
            "name": "Satu Kantor",
            "unit_code": code,
            "username": f"impor.{one[-4:]}",
            "office_id": gedung_b["office_id"],
        },
        {
            "nip": by_name,
            "name": "Nama Kantor",
            "unit_code": code,
            "username": f"impor.{by_name[-4:]}",
            "office": "gedung a",
        },
        {"nip": default, "name": "Bawaan", "unit_code": code, "username": f"impor.{default[-4:]}"},
    )
    answer = post_csv(api, text)
    assert answer.status == 200, answer.body

    def offices_of(number: str) -> list[str]:
        return api.get(f"/employees/{number}", user="admin").json["office_ids"]  # type: ignore[no-any-return]

    assert offices_of(both) == [gedung_a["office_id"], gedung_b["office_id"]]
    assert offices_of(one) == [gedung_b["office_id"]]
    assert offices_of(by_name) == [gedung_a["office_id"]]
    assert sorted(offices_of(default)) == sorted([gedung_a["office_id"], gedung_b["office_id"]])
    # A row naming no office keeps what the employee has.
    again = csv_text(
        "nip,name,unit_code,username",
        {"nip": one, "name": "Satu Kantor", "unit_code": code, "username": f"impor.{one[-4:]}"},
    )
    assert counts(post_csv(api, again).json) == {"rows": 1, "created": 0, "updated": 1}
    assert offices_of(one) == [gedung_b["office_id"]]


def test_a_row_moving_an_employee_gives_him_the_new_units_offices(api: Api) -> None:
    old_unit, _ = unit_with_offices(api, "Gedung Lama")
    new_unit, (new_office,) = unit_with_offices(api, "Gedung Baru")
    number = fresh_nip()
    person = {"nip": number, "name": "Pindah Unit", "username": f"impor.{number[-4:]}"}
    header = "nip,name,unit_code,username"
    assert post_csv(api, csv_text(header, {**person, "unit_code": old_unit["code"]})).status == 200
    assert post_csv(api, csv_text(header, {**person, "unit_code": new_unit["code"]})).status == 200
    moved = api.get(f"/employees/{number}", user="admin").json
    assert moved["unit_id"] == new_unit["unit_id"]
    assert moved["office_ids"] == [new_office["office_id"]]


def test_an_unknown_office_rejects_the_file(api: Api) -> None:
    unit, _ = unit_with_offices(api, "Gedung Ada")
    number = fresh_nip()
    text = csv_text(
        "nip,name,unit_code,username,office_ids",
        {
            "nip": number,
            "name": "Kantor Khayalan",
            "unit_code": unit["code"],
            "username": f"impor.{number[-4:]}",
            "office_ids": "Gedung Ada;Gedung Khayalan",
        },
    )
    answer = post_csv(api, text)
    assert answer.status == 422 and answer.json["code"] == "import_rejected"
    assert "Gedung Khayalan" in " ".join(answer.json["rows"][0]["messages"])
    assert api.get(f"/employees/{number}", user="admin").status == 404


# ---------------------------------------------------------------- employment dates (TMT)
def dates_of(api: Api, number: str) -> tuple[str | None, str | None]:
    employee = api.get(f"/employees/{number}", user="admin").json
    return employee["employed_from"], employee["employed_until"]


def test_employment_date_columns(api: Api) -> None:
    joined, left, undated = fresh_nip(), fresh_nip(), fresh_nip()
    header = "nip,name,unit_code,username,employed_from,employed_until"
    person = {"name": "Pegawai Pindahan", "unit_code": "DISKOMINFO-SP"}
    text = csv_text(
        header,
        {**person, "nip": joined, "username": f"tmt.{joined[-4:]}", "employed_from": "2026-11-11"},
        {
            **person,
            "nip": left,
            "username": f"tmt.{left[-4:]}",
            "employed_from": "2001-03-01",
            "employed_until": "2026-11-10",
        },
        {**person, "nip": undated, "username": f"tmt.{undated[-4:]}"},
    )
    answer = post_csv(api, text)
    assert answer.status == 200, answer.body
    assert dates_of(api, joined) == ("2026-11-11", None)
    assert dates_of(api, left) == ("2001-03-01", "2026-11-10")
    assert dates_of(api, undated) == (None, None)
    # A file without the columns keeps the dates; one with them sets them (empty clears).
    plain = csv_text(
        "nip,name,unit_code,username", {**person, "nip": left, "username": f"tmt.{left[-4:]}"}
    )
    assert counts(post_csv(api, plain).json) == {"rows": 1, "created": 0, "updated": 1}
    assert dates_of(api, left) == ("2001-03-01", "2026-11-10")
    only_until = csv_text(
        "nip,name,unit_code,username,employed_until",
        {**person, "nip": left, "username": f"tmt.{left[-4:]}", "employed_until": ""},
    )
    assert post_csv(api, only_until).status == 200
    assert dates_of(api, left) == ("2001-03-01", None)


def test_bad_employment_dates_reject_the_file(api: Api) -> None:
    existing, good, backwards, garbled = fresh_nip(), fresh_nip(), fresh_nip(), fresh_nip()
    person = {"name": "Pegawai Tanggal", "unit_code": "DISKOMINFO-SP"}
    first = csv_text(
        "nip,name,unit_code,username,employed_from",
        {
            **person,
            "nip": existing,
            "username": f"tmt.{existing[-4:]}",
            "employed_from": "2026-11-11",
        },
    )
    assert post_csv(api, first).status == 200
    text = csv_text(
        "nip,name,unit_code,username,employed_from,employed_until",
        {**person, "nip": good, "username": f"tmt.{good[-4:]}", "employed_from": "2026-11-11"},
        {
            **person,
            "nip": backwards,
            "username": f"tmt.{backwards[-4:]}",
            "employed_from": "2026-11-11",
            "employed_until": "2026-11-10",
        },
        {
            **person,
            "nip": garbled,
            "username": f"tmt.{garbled[-4:]}",
            "employed_from": "11/11/2026",
        },
    )
    answer = post_csv(api, text)
    assert answer.status == 422 and answer.json["code"] == "import_rejected"
    messages = {r["row"]: " ".join(r["messages"]) for r in answer.json["rows"]}
    assert sorted(messages) == [3, 4]
    assert "employed_until 2026-11-10 is before employed_from 2026-11-11" in messages[3]
    assert "employed_from '11/11/2026' is not a date as YYYY-MM-DD" in messages[4]
    assert api.get(f"/employees/{good}", user="admin").status == 404, "nothing may be written"
    # A file that names only his last day is judged against the first day he already has.
    ends_before = csv_text(
        "nip,name,unit_code,username,employed_until",
        {
            **person,
            "nip": existing,
            "username": f"tmt.{existing[-4:]}",
            "employed_until": "2026-11-01",
        },
    )
    answer = post_csv(api, ends_before)
    assert answer.status == 422, answer.body
    assert "is before employed_from 2026-11-11" in answer.json["rows"][0]["messages"][0]
    assert dates_of(api, existing) == ("2026-11-11", None)
