"""The pure rules of outgoing letters: whose turn, numbers, printed capacities, wording, and who
may see a letter. No AWS."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from eoffice.auth import Principal
from eoffice.letters.models import Sifat
from eoffice.org.models import Employee, Role
from eoffice.outgoing import rules, wording
from eoffice.outgoing.models import (
    Outgoing,
    OutgoingKind,
    OutgoingStatus,
    ParafStep,
    ReviewStatus,
    SignatureRecord,
    SignerSlot,
)

NOW = datetime(2026, 11, 28, 8, 14, tzinfo=UTC)
AUTHOR, REVIEWER_1, REVIEWER_2 = "199402112019031011", "198807192011012006", "198912032014022004"
SIGNER_1, SIGNER_2 = "197503082002121003", "197011231996031004"
UNIT, OTHER_UNIT = "unit-kominfo", "unit-bkpsdm"


def letter(**overrides: Any) -> Outgoing:
    fields: dict[str, Any] = {
        "outgoing_id": "o1",
        "unit_id": UNIT,
        "unit_code": "KOMINFO",
        "author_nip": AUTHOR,
        "kind": OutgoingKind.surat_dinas,
        "sifat": Sifat.biasa,
        "urgensi": "biasa",
        "classification_code": "800.1.2.2",
        "subject": "Undangan",
        "recipients": [],
        "signers": [
            SignerSlot(order=0, nip=SIGNER_1, name="Kadis", position="Kepala Dinas"),
            SignerSlot(order=1, nip=SIGNER_2, name="Sekda", position="Sekretaris Daerah"),
        ],
        "reviews": [
            ParafStep(order=0, nip=REVIEWER_1, name="TU"),
            ParafStep(order=1, nip=REVIEWER_2, name="Analis"),
        ],
        "status": OutgoingStatus.in_review,
        "provisional_number": "800.1.2.2/.../KOMINFO/2026",
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(overrides)
    return Outgoing(**fields)


def signature(order: int, nip: str, capacity: str = "self") -> SignatureRecord:
    return SignatureRecord(
        order=order,
        signer_nip=nip,
        signed_by_nip=nip,
        capacity=capacity,
        name="x",
        position="y",
        signed_at=NOW,
        level="B-T",
        backend="KmsKey",
        field_name=f"Tanda_Tangan_{order + 1}",
        cms_sha256="a" * 64,
        file_sha256="b" * 64,
        certificate_subject="s",
        certificate_issuer="i",
        certificate_serial="1",
    )


def principal(nip: str, *roles: Role, unit_id: str = UNIT) -> Principal:
    employee = Employee(
        nip=nip,
        name="Pegawai",
        unit_id=unit_id,
        position_id=None,
        roles=list(roles or (Role.staff,)),
        tpp_amount=0,
        office_ids=[],
        active=True,
        username=f"u{nip}",
        email=None,
        created_at=NOW,
        updated_at=NOW,
    )
    return Principal(employee=employee)


# ---------------------------------------------------------------- whose turn
def test_turn_of_follows_the_letter_from_draft_to_signed() -> None:
    assert rules.turn_of(letter(status=OutgoingStatus.draft)) == AUTHOR
    assert rules.turn_of(letter(status=OutgoingStatus.returned)) == AUTHOR
    assert rules.turn_of(letter()) == REVIEWER_1
    first_done = [
        ParafStep(order=0, nip=REVIEWER_1, name="TU", status=ReviewStatus.approved),
        ParafStep(order=1, nip=REVIEWER_2, name="Analis"),
    ]
    assert rules.turn_of(letter(reviews=first_done)) == REVIEWER_2
    assert rules.turn_of(letter(status=OutgoingStatus.ready_to_sign)) == SIGNER_1
    one_signed = letter(status=OutgoingStatus.signing, signatures=[signature(0, SIGNER_1)])
    assert rules.turn_of(one_signed) == SIGNER_2
    assert rules.turn_of(letter(status=OutgoingStatus.signed)) is None
    assert rules.turn_of(letter(status=OutgoingStatus.revoked)) is None


def test_a_seal_does_not_count_as_a_signers_signature() -> None:
    sealed_only = letter(status=OutgoingStatus.signing, signatures=[signature(2, "", "seal")])
    assert rules.turn_of(sealed_only) == SIGNER_1


# ---------------------------------------------------------------- numbers and printed words
def test_numbers_follow_the_domain_format() -> None:
    assert rules.number("800.1.2.2", 12, "KOMINFO", 2026) == "800.1.2.2/12/KOMINFO/2026"
    assert rules.provisional_number("000.1", "BKPSDM", 2027) == "000.1/.../BKPSDM/2027"


@pytest.mark.parametrize(
    ("capacity", "printed"),
    [
        ("self", "Kepala Dinas Kominfo"),
        ("plt", "Plt. Kepala Dinas Kominfo"),
        ("plh", "Plh. Kepala Dinas Kominfo"),
    ],
)
def test_printed_position_names_the_acting_capacity(capacity: str, printed: str) -> None:
    assert rules.printed_position("Kepala Dinas Kominfo", capacity) == printed


def test_footer_uses_bsre_wording_for_bsre_certificates_only() -> None:
    bsre = wording.footer("Common Name: OSD BSrE, Organization: BSSN", "Demo CA")
    assert "Balai Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara" in bsre
    assert "Demo CA" not in bsre
    other = wording.footer("Common Name: Test Intermediate", "Demo e-Office Luwu Timur")
    assert "diterbitkan oleh Demo e-Office Luwu Timur." in other
    assert "BSrE" not in other
    assert "diterbitkan oleh Common Name: Test Intermediate." in wording.footer(
        "Common Name: Test Intermediate", ""
    )
    assert other.startswith("Dokumen ini telah ditandatangani secara elektronik")


def test_tanggal_and_waktu_speak_indonesian_in_wita() -> None:
    assert wording.tanggal(date(2026, 1, 5)) == "5 Januari 2026"
    assert wording.tanggal(date(2026, 12, 31)) == "31 Desember 2026"
    assert wording.waktu(NOW) == "28 November 2026 16:14 WITA"
    # Late evening UTC is the next day in Malili; any input zone gives the same answer.
    assert wording.waktu(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == "1 Januari 2027 00:30 WITA"
    jakarta = timezone(timedelta(hours=7))
    assert wording.waktu(NOW.astimezone(jakarta)) == "28 November 2026 16:14 WITA"
    assert wording.place_and_date("Malili", date(2026, 8, 17)) == "Malili, 17 Agustus 2026"


# ---------------------------------------------------------------- who may see
def test_participants_see_a_letter_and_strangers_do_not() -> None:
    outgoing = letter()
    for nip in (AUTHOR, REVIEWER_1, REVIEWER_2, SIGNER_1, SIGNER_2):
        assert rules.can_see(principal(nip, unit_id=OTHER_UNIT), outgoing)
    assert not rules.can_see(principal("199001012015011001"), outgoing)
    assert not rules.can_see(principal("199001012015011001", unit_id=OTHER_UNIT), outgoing)


def test_unit_clerks_and_head_see_the_units_letters_but_not_secret_ones() -> None:
    outgoing, secret = letter(), letter(sifat=Sifat.rahasia)
    clerk = principal("199001012015011001", Role.tu)
    head = principal("199001012015011002", Role.head)
    other_clerk = principal("199001012015011003", Role.tu, unit_id=OTHER_UNIT)
    assert rules.can_see(clerk, outgoing) and rules.can_see(head, outgoing)
    assert not rules.can_see(other_clerk, outgoing)
    assert not rules.can_see(clerk, secret) and not rules.can_see(head, secret)
    assert rules.can_see(principal(REVIEWER_1, Role.tu), secret)


def test_admins_and_leaders_see_all_but_secret_letters() -> None:
    for role in (Role.admin, Role.bupati, Role.sekda):
        someone = principal("199001012015011009", role, unit_id=OTHER_UNIT)
        assert rules.can_see(someone, letter())
        assert not rules.can_see(someone, letter(sifat=Sifat.sangat_rahasia))


def test_an_acting_official_sees_what_the_official_sees() -> None:
    plt = principal("199001012015011004", unit_id=OTHER_UNIT)
    secret = letter(sifat=Sifat.rahasia)
    assert not rules.can_see(plt, secret)
    assert rules.can_see(plt, secret, acting_for={SIGNER_1})
    assert not rules.can_see(plt, secret, acting_for={"199001012015011005"})


def test_signers_their_stand_ins_and_admins_revoke_and_the_author_may_deliver_again() -> None:
    outgoing = letter()
    stranger = principal("199901012020011001")
    assert rules.can_revoke(principal(SIGNER_1), outgoing, set())
    assert rules.can_revoke(stranger, outgoing, {SIGNER_2})  # Plt/Plh of a signer
    assert rules.can_revoke(principal("199901012020011002", Role.admin), outgoing, set())
    assert not rules.can_revoke(principal(AUTHOR), outgoing, set())
    assert not rules.can_revoke(stranger, outgoing, set())
    assert rules.can_deliver(principal(AUTHOR), outgoing, set())
    assert not rules.can_deliver(stranger, outgoing, set())
