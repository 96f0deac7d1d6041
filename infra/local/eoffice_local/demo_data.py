"""The demo regency: an organisation modelled on Kabupaten Luwu Timur (seat Malili), as pure data.

Why this module exists: the local runner, the seed command, the benchmarks and many tests need a
believable regency (30-odd agencies, 11 kecamatan, thousands of civil servants, the named demo
logins) without an AWS account or a network. Everything here is plain data plus one deterministic
generator; writing it anywhere is the caller's job (``seed.py``).

Identifiers are assigned only when the data is written, so every spec refers to others by a
stable *key* instead of an id:

* a unit by its ``code`` (``DISKOMINFO-SP``, sections ``DISKOMINFO-SP.APTIKA``);
* a position by ``PositionSpec.key``, ``"<unit code>/<slug>"`` (``DISKOMINFO-SP/head``);
* an office by ``OfficeSpec.key``, the code of the top-level unit it houses (``DISKOMINFO-SP``);
  an employee checks in at the offices named by ``EmployeeSpec.office_keys``: his agency's
  (sections use their agency's office).

The writer creates units in the order given (parents come before children), keeps a map from code
or key to the id it got, and turns each spec into the API model with ``to_create(...)``.

All persons are fictional; names are drawn from Bugis, Luwu, Toraja, Javanese and Balinese name
stock to resemble the regency's population. Coordinates are best-knowledge approximations, good
enough for a check-in radius demo, not survey data.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from eoffice.org.admin_models import EmployeeCreate, OfficeCreate, PositionCreate, UnitCreate
from eoffice.org.models import Role, UnitKind

__all__ = [
    "EMAIL_DOMAIN",
    "HOLIDAYS_2026",
    "NAMED_EMPLOYEES",
    "OFFICES",
    "POSITIONS",
    "ROOT_CODE",
    "UNITS",
    "DemoOrg",
    "EmployeeSpec",
    "OfficeSpec",
    "PositionSpec",
    "UnitSpec",
    "generate",
    "head_key",
]

ROOT_CODE: Final = "PEMKAB-LUTIM"
EMAIL_DOMAIN: Final = "lutimkab.go.id"


# ======================================================================== specs
@dataclass(frozen=True, slots=True)
class UnitSpec:
    """A unit before it has an id. ``parent_code`` is None only for the regency (the root)."""

    code: str
    name: str
    kind: UnitKind
    parent_code: str | None

    def to_create(self, parent_id: str | None) -> UnitCreate:
        """The API model, once the parent's id is known (None for the root)."""
        return UnitCreate(code=self.code, name=self.name, kind=self.kind, parent_id=parent_id)


@dataclass(frozen=True, slots=True)
class PositionSpec:
    """A position (jabatan) in a unit. ``key`` is ``"<unit code>/<slug>"``; heads use ``/head``."""

    key: str
    unit_code: str
    name: str
    is_head: bool
    echelon: str | None

    def to_create(self, unit_id: str) -> PositionCreate:
        """The API model, once the unit's id is known."""
        return PositionCreate(
            name=self.name, unit_id=unit_id, is_head=self.is_head, echelon=self.echelon
        )


@dataclass(frozen=True, slots=True)
class OfficeSpec:
    """An office building with its check-in circle. ``key`` is the code of the unit it houses."""

    key: str
    unit_code: str
    name: str
    latitude: float
    longitude: float
    radius_m: int = 100
    address: str | None = None

    def to_create(self, unit_id: str) -> OfficeCreate:
        """The API model, once the unit's id is known."""
        return OfficeCreate(
            name=self.name,
            unit_id=unit_id,
            latitude=self.latitude,
            longitude=self.longitude,
            radius_m=self.radius_m,
            address=self.address,
        )


@dataclass(frozen=True, slots=True)
class EmployeeSpec:
    """The fields of ``EmployeeCreate``, with the unit, position and offices named by key."""

    nip: str
    name: str
    username: str
    unit_code: str
    position_key: str | None
    office_keys: tuple[str, ...]
    roles: tuple[Role, ...]
    tpp_amount: int
    email: str | None
    active: bool = True

    def to_create(
        self, unit_id: str, position_id: str | None, office_ids: list[str]
    ) -> EmployeeCreate:
        """The API model, once the ids of the unit, position and offices are known.

        Building it runs pydantic's validation (NIP layout, username pattern, roles not empty).
        """
        return EmployeeCreate(
            nip=self.nip,
            name=self.name,
            unit_id=unit_id,
            position_id=position_id,
            roles=list(self.roles),
            tpp_amount=self.tpp_amount,
            office_ids=office_ids,
            active=self.active,
            username=self.username,
            email=self.email,
        )


@dataclass(frozen=True, slots=True)
class DemoOrg:
    """The whole demo organisation, in the order it must be written.

    ``units`` lists parents before children; ``employees`` lists the named demo users first, then
    the holders of the structural posts (a head for every unit, a TU clerk for every agency,
    secretariat and kecamatan), then rank-and-file staff.
    """

    units: tuple[UnitSpec, ...]
    positions: tuple[PositionSpec, ...]
    offices: tuple[OfficeSpec, ...]
    employees: tuple[EmployeeSpec, ...]

    def unit(self, code: str) -> UnitSpec:
        """The unit with ``code``; KeyError when there is none."""
        for unit in self.units:
            if unit.code == code:
                return unit
        raise KeyError(code)

    def employee(self, username: str) -> EmployeeSpec:
        """The employee with ``username``; KeyError when there is none."""
        for employee in self.employees:
            if employee.username == username:
                return employee
        raise KeyError(username)


def head_key(unit_code: str) -> str:
    """The key of the head position of a unit."""
    return f"{unit_code}/head"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ======================================================================== the structure
@dataclass(frozen=True, slots=True)
class _Top:
    """A top-level unit (agency, secretariat or kecamatan) and what hangs off it.

    ``weight`` is its relative share of the rank-and-file staff: schools and health care employ
    most civil servants of a regency, so Dinas Pendidikan, Dinas Kesehatan and the hospital weigh
    most. ``specialists`` are the functional positions typical for the agency.
    """

    code: str
    name: str
    kind: UnitKind
    head_title: str
    echelon: str
    sections: tuple[tuple[str, str], ...]  # (code suffix, name)
    weight: float
    specialists: tuple[str, ...] = ()
    office: tuple[float, float] | None = None  # None: placed in the Malili government quarter
    radius_m: int = 100
    address: str | None = None


def _agency(
    code: str,
    name: str,
    bidang: tuple[tuple[str, str], ...],
    weight: float,
    specialists: tuple[str, ...] = (),
    head_title: str | None = None,
    secretariat: str = "Sekretariat",
) -> _Top:
    """A dinas or badan: a Sekretariat plus its bidang, headed by an echelon II.b official."""
    return _Top(
        code=code,
        name=name,
        kind=UnitKind.agency,
        head_title=head_title or f"Kepala {name}",
        echelon="II.b",
        sections=(("SEK", secretariat), *bidang),
        weight=weight,
        specialists=specialists,
    )


_MALILI_CENTRE: Final = (-2.6400, 121.1000)  # Kompleks Perkantoran Puncak Indah, Malili

_TOPS: Final[tuple[_Top, ...]] = (
    _Top(
        code="SETDA",
        name="Sekretariat Daerah",
        kind=UnitKind.secretariat,
        head_title="Sekretaris Daerah",
        echelon="II.a",
        sections=(
            ("UMUM", "Bagian Umum"),
            ("HUKUM", "Bagian Hukum"),
            ("ORG", "Bagian Organisasi"),
            ("PEM", "Bagian Pemerintahan"),
            ("PBJ", "Bagian Pengadaan Barang dan Jasa"),
            ("PROKOPIM", "Bagian Protokol dan Komunikasi Pimpinan"),
            ("EKON", "Bagian Perekonomian dan Sumber Daya Alam"),
        ),
        weight=8,
        specialists=("Perancang Peraturan Perundang-undangan", "Analis Kebijakan"),
        office=(-2.6396, 121.1006),
        radius_m=150,
        address="Kompleks Perkantoran Puncak Indah, Malili",
    ),
    _Top(
        code="SETWAN",
        name="Sekretariat DPRD",
        kind=UnitKind.secretariat,
        head_title="Sekretaris DPRD",
        echelon="II.b",
        sections=(
            ("UMUM", "Bagian Umum dan Keuangan"),
            ("SIDANG", "Bagian Persidangan dan Perundang-undangan"),
            ("FASIL", "Bagian Fasilitasi Penganggaran dan Pengawasan"),
        ),
        weight=3,
        specialists=("Analis Kebijakan",),
        radius_m=150,
    ),
    _agency(
        "INSPEKTORAT",
        "Inspektorat Daerah",
        (
            ("IRBAN1", "Inspektur Pembantu Wilayah I"),
            ("IRBAN2", "Inspektur Pembantu Wilayah II"),
            ("IRBAN3", "Inspektur Pembantu Wilayah III"),
        ),
        3,
        ("Auditor", "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah"),
        head_title="Inspektur Daerah",
    ),
    _agency(
        "DISKOMINFO-SP",
        "Dinas Komunikasi, Informatika, Statistik dan Persandian",
        (
            ("APTIKA", "Bidang Aplikasi Informatika"),
            ("SANDISTAT", "Bidang Persandian dan Statistik"),
            ("IKP", "Bidang Informasi dan Komunikasi Publik"),
        ),
        3,
        ("Pranata Komputer", "Sandiman", "Statistisi", "Pranata Hubungan Masyarakat"),
    ),
    _agency(
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        (
            ("PPI", "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian"),
            ("MUTASI", "Bidang Mutasi dan Promosi"),
            ("PSDM", "Bidang Pengembangan Sumber Daya Manusia"),
        ),
        3,
        ("Analis Kepegawaian", "Analis Sumber Daya Manusia Aparatur"),
    ),
    _agency(
        "DISDIK",
        "Dinas Pendidikan",
        (
            ("SD", "Bidang Pembinaan Sekolah Dasar"),
            ("SMP", "Bidang Pembinaan Sekolah Menengah Pertama"),
            ("PAUD", "Bidang Pembinaan PAUD dan Pendidikan Nonformal"),
        ),
        30,
        ("Guru", "Guru", "Guru", "Pengawas Sekolah", "Penilik"),
    ),
    _agency(
        "DINKES",
        "Dinas Kesehatan",
        (
            ("KESMAS", "Bidang Kesehatan Masyarakat"),
            ("P2P", "Bidang Pencegahan dan Pengendalian Penyakit"),
            ("YANKES", "Bidang Pelayanan dan Sumber Daya Kesehatan"),
        ),
        16,
        ("Dokter", "Perawat", "Bidan", "Sanitarian", "Epidemiolog Kesehatan", "Apoteker"),
    ),
    _Top(
        code="RSUD-ILAGALIGO",
        name="Rumah Sakit Umum Daerah I Lagaligo",
        kind=UnitKind.agency,
        head_title="Direktur RSUD I Lagaligo",
        echelon="II.b",
        sections=(
            ("TU", "Bagian Tata Usaha"),
            ("YANMED", "Bidang Pelayanan Medik"),
            ("KEP", "Bidang Keperawatan"),
            ("PENUNJANG", "Bidang Penunjang Medik dan Nonmedik"),
        ),
        weight=12,
        specialists=(
            "Dokter",
            "Dokter Spesialis",
            "Perawat",
            "Perawat",
            "Bidan",
            "Apoteker",
            "Pranata Laboratorium Kesehatan",
            "Radiografer",
        ),
        # The hospital stands in Wotu, on the trans-Sulawesi road, not in Malili.
        office=(-2.5742, 120.8105),
        radius_m=300,
        address="Jl. Sawerigading, Wotu",
    ),
    _agency(
        "DPUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        (
            ("BM", "Bidang Bina Marga"),
            ("SDA", "Bidang Sumber Daya Air"),
            ("CKTR", "Bidang Cipta Karya dan Tata Ruang"),
        ),
        4,
        ("Teknik Jalan dan Jembatan", "Teknik Pengairan", "Penata Ruang"),
    ),
    _agency(
        "BAPPELITBANGDA",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        (
            ("PPM", "Bidang Perencanaan Pemerintahan dan Pembangunan Manusia"),
            ("PEIW", "Bidang Perencanaan Perekonomian dan Infrastruktur Kewilayahan"),
            ("LITBANG", "Bidang Penelitian dan Pengembangan"),
        ),
        2.5,
        ("Perencana", "Peneliti"),
    ),
    _agency(
        "BPKD",
        "Badan Pengelola Keuangan Daerah",
        (
            ("ANGGARAN", "Bidang Anggaran"),
            ("PERBEN", "Bidang Perbendaharaan"),
            ("AKUNASET", "Bidang Akuntansi dan Aset"),
        ),
        3,
        ("Analis Keuangan Pusat dan Daerah", "Pengelola Barang Milik Daerah", "Bendahara"),
    ),
    _agency(
        "BAPENDA",
        "Badan Pendapatan Daerah",
        (
            ("DATA", "Bidang Pendataan dan Penetapan"),
            ("TAGIH", "Bidang Penagihan dan Pengendalian"),
        ),
        2.5,
        ("Pemeriksa Pajak Daerah", "Pengelola Pajak dan Retribusi Daerah"),
    ),
    _agency(
        "BPBD",
        "Badan Penanggulangan Bencana Daerah",
        (
            ("PK", "Bidang Pencegahan dan Kesiapsiagaan"),
            ("KL", "Bidang Kedaruratan dan Logistik"),
            ("RR", "Bidang Rehabilitasi dan Rekonstruksi"),
        ),
        2,
        ("Analis Kebencanaan",),
        # The Bupati chairs BPBD ex officio; the day-to-day head is the Kepala Pelaksana.
        head_title="Kepala Pelaksana Badan Penanggulangan Bencana Daerah",
    ),
    _agency(
        "SATPOL-PP",
        "Satuan Polisi Pamong Praja",
        (
            ("GAKDA", "Bidang Penegakan Peraturan Daerah"),
            ("TIBUM", "Bidang Ketertiban Umum dan Ketenteraman Masyarakat"),
            ("DAMKAR", "Bidang Pemadam Kebakaran dan Penyelamatan"),
        ),
        5,
        ("Polisi Pamong Praja", "Polisi Pamong Praja", "Pemadam Kebakaran"),
    ),
    _agency(
        "DINSOS",
        "Dinas Sosial",
        (
            ("REHSOS", "Bidang Rehabilitasi Sosial"),
            ("LINJAMSOS", "Bidang Perlindungan dan Jaminan Sosial"),
            ("DAYASOS", "Bidang Pemberdayaan Sosial dan Penanganan Fakir Miskin"),
        ),
        2,
        ("Pekerja Sosial", "Penyuluh Sosial"),
    ),
    _agency(
        "DP3A",
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        (
            ("PP", "Bidang Pemberdayaan Perempuan"),
            ("PA", "Bidang Perlindungan Anak"),
        ),
        1.5,
        ("Analis Perlindungan Perempuan dan Anak",),
    ),
    _agency(
        "DLH",
        "Dinas Lingkungan Hidup",
        (
            ("TALING", "Bidang Tata Lingkungan"),
            ("PPKL", "Bidang Pengendalian Pencemaran dan Kerusakan Lingkungan"),
            ("SAMPAH", "Bidang Pengelolaan Sampah"),
        ),
        3,
        ("Pengendali Dampak Lingkungan", "Pengawas Lingkungan Hidup"),
    ),
    _agency(
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        (
            ("DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk"),
            ("CAPIL", "Bidang Pelayanan Pencatatan Sipil"),
            ("PIAK", "Bidang Pengelolaan Informasi Administrasi Kependudukan"),
        ),
        2,
        ("Administrator Database Kependudukan",),
    ),
    _agency(
        "DPMD",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        (
            ("PEMDES", "Bidang Pemerintahan Desa"),
            ("PMD", "Bidang Pemberdayaan Masyarakat Desa"),
        ),
        2,
        ("Penggerak Swadaya Masyarakat",),
    ),
    _agency(
        "DISHUB",
        "Dinas Perhubungan",
        (
            ("LLAJ", "Bidang Lalu Lintas dan Angkutan Jalan"),
            ("LAUT", "Bidang Pelayaran"),
        ),
        2,
        ("Penguji Kendaraan Bermotor",),
    ),
    _agency(
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        (
            ("PM", "Bidang Penanaman Modal"),
            ("PERIZINAN", "Bidang Pelayanan Perizinan"),
        ),
        1.5,
        ("Analis Perizinan",),
    ),
    _agency(
        "DISKOPUKM",
        "Dinas Koperasi dan Usaha Kecil Menengah",
        (
            ("KOP", "Bidang Koperasi"),
            ("UKM", "Bidang Usaha Mikro, Kecil dan Menengah"),
        ),
        1.5,
        ("Pengawas Koperasi",),
    ),
    _agency(
        "DISDAG",
        "Dinas Perdagangan",
        (
            ("PDN", "Bidang Perdagangan Dalam Negeri"),
            ("METRO", "Bidang Metrologi Legal dan Perlindungan Konsumen"),
        ),
        1.5,
        ("Penera", "Pengawas Perdagangan"),
    ),
    _agency(
        "DISPERINAKER",
        "Dinas Perindustrian dan Tenaga Kerja",
        (
            ("IND", "Bidang Perindustrian"),
            ("PPTK", "Bidang Penempatan dan Pelatihan Tenaga Kerja"),
            ("HI", "Bidang Hubungan Industrial"),
        ),
        2,
        ("Mediator Hubungan Industrial", "Pengantar Kerja"),
    ),
    _agency(
        "DISKAN",
        "Dinas Perikanan",
        (
            ("TANGKAP", "Bidang Perikanan Tangkap"),
            ("BUDIDAYA", "Bidang Perikanan Budidaya"),
        ),
        2,
        ("Penyuluh Perikanan",),
    ),
    _agency(
        "DTPHP",
        "Dinas Tanaman Pangan, Hortikultura dan Perkebunan",
        (
            ("TP", "Bidang Tanaman Pangan"),
            ("HORTI", "Bidang Hortikultura"),
            ("BUN", "Bidang Perkebunan"),
        ),
        4,
        ("Penyuluh Pertanian", "Penyuluh Pertanian", "Pengawas Benih Tanaman"),
    ),
    _agency(
        "DISNAK",
        "Dinas Peternakan dan Kesehatan Hewan",
        (
            ("PROD", "Bidang Produksi Peternakan"),
            ("KESWAN", "Bidang Kesehatan Hewan dan Kesehatan Masyarakat Veteriner"),
        ),
        2,
        ("Medik Veteriner", "Paramedik Veteriner"),
    ),
    _agency(
        "DKP",
        "Dinas Ketahanan Pangan",
        (
            ("KDP", "Bidang Ketersediaan dan Distribusi Pangan"),
            ("KKP", "Bidang Konsumsi dan Keamanan Pangan"),
        ),
        1.5,
        ("Analis Ketahanan Pangan",),
    ),
    _agency(
        "DISPUSIP",
        "Dinas Perpustakaan dan Kearsipan",
        (
            ("PUS", "Bidang Perpustakaan"),
            ("ARSIP", "Bidang Kearsipan"),
        ),
        1.5,
        ("Pustakawan",),
    ),
    _agency(
        "DISPARPORA",
        "Dinas Pariwisata, Kebudayaan, Pemuda dan Olahraga",
        (
            ("PAR", "Bidang Pariwisata"),
            ("BUD", "Bidang Kebudayaan"),
            ("PORA", "Bidang Pemuda dan Olahraga"),
        ),
        2,
        ("Pengembang Pariwisata", "Pamong Budaya"),
    ),
    _agency(
        "DISPERKIM",
        "Dinas Perumahan dan Kawasan Permukiman",
        (
            ("RUMAH", "Bidang Perumahan"),
            ("KAWASAN", "Bidang Kawasan Permukiman"),
        ),
        1.5,
        ("Teknik Tata Bangunan dan Perumahan",),
    ),
    _agency(
        "DISTANAH",
        "Dinas Pertanahan",
        (
            ("PENATAAN", "Bidang Pengadaan dan Penataan Tanah"),
            ("SENGKETA", "Bidang Penyelesaian Sengketa Pertanahan"),
        ),
        1,
        ("Analis Pertanahan",),
    ),
    _agency(
        "DPPKB",
        "Dinas Pengendalian Penduduk dan Keluarga Berencana",
        (
            ("DALDUK", "Bidang Pengendalian Penduduk"),
            ("KB", "Bidang Keluarga Berencana dan Ketahanan Keluarga"),
        ),
        2,
        ("Penyuluh Keluarga Berencana",),
    ),
    _agency(
        "KESBANGPOL",
        "Badan Kesatuan Bangsa dan Politik",
        (
            ("IDEOLOGI", "Bidang Ideologi dan Wawasan Kebangsaan"),
            ("POLDAGRI", "Bidang Politik Dalam Negeri dan Organisasi Kemasyarakatan"),
        ),
        1.5,
        ("Analis Kebijakan",),
    ),
)

# The 11 kecamatan, with their administrative centre and its approximate coordinates.
_DISTRICTS: Final[tuple[tuple[str, str, float, float], ...]] = (
    ("Burau", "Burau", -2.6205, 120.7230),
    ("Wotu", "Wotu", -2.5795, 120.8020),
    ("Tomoni", "Tomoni", -2.5010, 120.8790),
    ("Tomoni Timur", "Cendana Hitam", -2.4930, 120.9450),
    ("Angkona", "Angkona", -2.5830, 120.9760),
    ("Malili", "Malili", -2.6330, 121.0860),
    ("Towuti", "Wawondula", -2.6610, 121.4360),
    ("Nuha", "Sorowako", -2.5300, 121.3600),
    ("Wasuponda", "Wasuponda", -2.6040, 121.2700),
    ("Mangkutana", "Mangkutana", -2.3860, 120.8560),
    ("Kalaena", "Kalaena Kiri", -2.4520, 120.8690),
)

_DISTRICT_STAFF: Final = ("Penata Kelola Pemerintahan", "Analis Pemerintahan Desa")


def _district_tops() -> tuple[_Top, ...]:
    return tuple(
        _Top(
            code=f"KEC-{_slug(name).upper()}",
            name=f"Kecamatan {name}",
            kind=UnitKind.district,
            head_title=f"Camat {name}",
            echelon="III.a",
            sections=(),
            weight=2.5,
            specialists=_DISTRICT_STAFF,
            office=(lat, lon),
            address=f"Kantor Camat {name}, {centre}",
        )
        for name, centre, lat, lon in _DISTRICTS
    )


_ALL_TOPS: Final = _TOPS + _district_tops()

# Staff positions every agency-level unit and every section has, besides its specialists.
_GENERAL_STAFF: Final = ("Pengadministrasi Perkantoran", "Pengolah Data dan Informasi")
_SECTION_STAFF: Final = ("Pengadministrasi Perkantoran", "Penelaah Teknis Kebijakan")
# The records clerk's position; one TU per agency, secretariat and kecamatan holds it.
_TU_POSITION: Final = "Arsiparis"


def _section_head(top: _Top, suffix: str, name: str) -> tuple[str, str]:
    """Title and echelon of a section head.

    Sekretaris dinas and the Kepala Bagian of a secretariat sit at III.a, a Kepala Bidang at III.b
    (Permendagri 137/2017 pattern); an Inspektur Pembantu is III.a too.
    """
    if suffix == "SEK":
        return f"Sekretaris {top.name}", "III.a"
    if name.startswith("Inspektur Pembantu"):
        return name, "III.a"
    if top.kind is UnitKind.secretariat:
        return f"Kepala {name}", "III.a"
    return f"Kepala {name}", "III.b"


def _office_offsets(count: int) -> list[tuple[float, float]]:
    """Spread ``count`` offices over the government quarter north-east of Puncak Indah.

    A staggered grid about 350-400 m apart, inside about 2.5 km: on land, away from the Teluk
    Bone shore south and west of Malili, and far enough apart that the check-in circles of two
    agencies never overlap.
    """
    lat0, lon0 = _MALILI_CENTRE
    spots = []
    for i in range(count):
        row, col = divmod(i, 6)
        lat = lat0 + 0.0030 + row * 0.0034 + (col % 2) * 0.0008
        lon = lon0 - 0.0060 + col * 0.0035 + (row % 2) * 0.0009
        spots.append((round(lat, 4), round(lon, 4)))
    return spots


def _build_structure() -> tuple[
    tuple[UnitSpec, ...], tuple[PositionSpec, ...], tuple[OfficeSpec, ...]
]:
    units = [UnitSpec(ROOT_CODE, "Pemerintah Kabupaten Luwu Timur", UnitKind.regency, None)]
    positions = [PositionSpec(head_key(ROOT_CODE), ROOT_CODE, "Bupati Luwu Timur", True, None)]
    offices = [
        OfficeSpec(
            key=ROOT_CODE,
            unit_code=ROOT_CODE,
            name="Kantor Bupati Luwu Timur",
            latitude=_MALILI_CENTRE[0],
            longitude=_MALILI_CENTRE[1],
            radius_m=200,  # a hilltop complex of several buildings
            address="Kompleks Perkantoran Puncak Indah, Malili",
        )
    ]
    spots = iter(_office_offsets(sum(1 for t in _ALL_TOPS if t.office is None)))

    for top in _ALL_TOPS:
        units.append(UnitSpec(top.code, top.name, top.kind, ROOT_CODE))
        positions.append(
            PositionSpec(head_key(top.code), top.code, top.head_title, True, top.echelon)
        )
        staff = dict.fromkeys((_TU_POSITION, *_GENERAL_STAFF, *top.specialists))
        for title in staff:
            positions.append(
                PositionSpec(f"{top.code}/{_slug(title)}", top.code, title, False, None)
            )
        lat, lon = top.office or next(spots)
        offices.append(
            OfficeSpec(
                key=top.code,
                unit_code=top.code,
                name=f"Kantor {top.name}",
                latitude=lat,
                longitude=lon,
                radius_m=top.radius_m,
                address=top.address or "Kompleks Perkantoran Puncak Indah, Malili",
            )
        )
        for suffix, name in top.sections:
            code = f"{top.code}.{suffix}"
            units.append(UnitSpec(code, name, UnitKind.section, top.code))
            title, echelon = _section_head(top, suffix, name)
            positions.append(PositionSpec(head_key(code), code, title, True, echelon))
            for title in _SECTION_STAFF:
                positions.append(PositionSpec(f"{code}/{_slug(title)}", code, title, False, None))
    return tuple(units), tuple(positions), tuple(offices)


UNITS, POSITIONS, OFFICES = _build_structure()
"""The fixed structure: it does not depend on the seed or the employee count."""

# Which top-level unit (and so which office) each unit belongs to.
_TOP_OF: Final[dict[str, str]] = {
    u.code: (u.code if u.parent_code in (None, ROOT_CODE) else u.parent_code) for u in UNITS
}


# ======================================================================== named demo users
def _named(
    username: str,
    nip: str,
    name: str,
    unit_code: str,
    position: str,
    roles: tuple[Role, ...],
    tpp_amount: int,
) -> EmployeeSpec:
    return EmployeeSpec(
        nip=nip,
        name=name,
        username=username,
        unit_code=unit_code,
        position_key=f"{unit_code}/{position}",
        office_keys=(_TOP_OF[unit_code],),
        roles=roles,
        tpp_amount=tpp_amount,
        email=f"{username}@{EMAIL_DOMAIN}",
    )


# The logins the product's demo and its tests rely on. The TU clerk, the staff member and the
# administrator sit in the agency unit itself (not in a bidang), as functional staff do since the
# 2021 simplification of the bureaucracy, so the Kepala Dinas can dispose letters to them directly.
NAMED_EMPLOYEES: Final[tuple[EmployeeSpec, ...]] = (
    _named(
        "bupati",
        "196805141994031007",
        "H. Andi Baso Makkulau, S.E., M.Si.",
        ROOT_CODE,
        "head",
        (Role.bupati,),
        0,  # an elected official, not an ASN: no TPP
    ),
    _named(
        "sekda",
        "197011231996031004",
        "Dr. Ir. H. Muhammad Arsyad Pawellangi, M.Si.",
        "SETDA",
        "head",
        (Role.sekda, Role.head),
        22_500_000,
    ),
    _named(
        "kadis.kominfo",
        "197503082002121003",
        "H. Syamsul Bahri Tandiarrang, S.Kom., M.T.",
        "DISKOMINFO-SP",
        "head",
        (Role.head,),
        13_500_000,
    ),
    _named(
        "tu.kominfo",
        "198807192011012006",
        "Nurhaeda Sari, S.Sos.",
        "DISKOMINFO-SP",
        "arsiparis",
        (Role.tu,),
        3_250_000,
    ),
    _named(
        "staf.kominfo",
        "199402112019031011",
        "Ahmad Fauzan Rahim, S.Kom.",
        "DISKOMINFO-SP",
        "pengolah-data-dan-informasi",
        (Role.staff,),
        3_000_000,
    ),
    _named(
        "admin",
        "199010052015031002",
        "Muhammad Rizal Pratama, S.Kom.",
        "DISKOMINFO-SP",
        "pranata-komputer",
        (Role.admin, Role.staff),
        3_750_000,
    ),
    _named(
        "kepala.bkpsdm",
        "197206172000032005",
        "Hj. Andi Nurhayati Baso, S.H., M.H.",
        "BKPSDM",
        "head",
        (Role.head,),
        14_000_000,
    ),
    _named(
        "tpp.bkpsdm",
        "198912032014022004",
        "Sitti Rahmawati Lamba, S.E.",
        "BKPSDM",
        "analis-kepegawaian",
        (Role.hr, Role.staff),
        3_500_000,
    ),
)


# ======================================================================== name stock
_MALE: Final = (
    "Abdul", "Ahmad", "Akbar", "Amiruddin", "Andi", "Andi", "Arifin", "Baso", "Budi",
    "Burhanuddin", "Daniel", "Dedi", "Eko", "Fadli", "Gunawan", "Hamzah", "Hasan", "Hendra",
    "Ilham", "Irwan", "Ismail", "Jufri", "Junaidi", "Kamaruddin", "Ketut", "Kurniawan", "Made",
    "Mansyur", "Markus", "Muhammad", "Muhammad", "Muhlis", "Nasrullah", "Nurdin", "Petrus",
    "Rahmat", "Rizal", "Rusdi", "Sahabuddin", "Saiful", "Syamsul", "Tajuddin", "Taufik", "Usman",
    "Wahyudi", "Wayan", "Yohanis", "Yusuf", "Zainal",
)  # fmt: skip
_FEMALE: Final = (
    "Andi", "Andi", "Asmawati", "Darmawati", "Debora", "Erniwati", "Ester", "Fitriani", "Hasmiati",
    "Hasnah", "Haslinda", "Irmawati", "Jumriati", "Kartini", "Komang", "Maria", "Marlina",
    "Megawati", "Nurhaeda", "Nurhayati", "Nurlina", "Putu", "Rahmawati", "Rosdiana", "Rosmini",
    "Sitti", "Sitti", "Sri", "Suriani", "Wahyuni", "Yohana", "Yuliana",
)  # fmt: skip
_MIDDLE_MALE: Final = ("Muhammad", "Abdul", "Baso", "Arif", "Rahman", "Nur", "Tenri")
_MIDDLE_FEMALE: Final = ("Nur", "Sri", "Tenri", "Ayu", "Dewi", "Indah")
_LAST: Final = (
    "Baso", "Djafar", "Hamid", "Hidayat", "Lamba", "Latif", "Makkasau", "Mappaselle",
    "Massalinri", "Mustafa", "Nugroho", "Pabbicara", "Palimbong", "Parura", "Patiroi",
    "Pawellangi", "Pongsibanne", "Pratama", "Rahim", "Rahman", "Rante", "Rauf", "Saleh", "Sampe",
    "Santoso", "Saputra", "Setiawan", "Sulaiman", "Syarif", "Tahir", "Tandi", "Tandiarrang",
    "Tangdilintin", "Tenriawaru", "Umar", "Wijaya", "Yunus",
)  # fmt: skip

# Degrees by position; the default list includes "" (no degree: SMA-level staff).
_DEGREES: Final[dict[str, tuple[str, ...]]] = {
    "Guru": ("S.Pd.", "S.Pd.", "S.Pd.I.", "S.Pd., M.Pd."),
    "Pengawas Sekolah": ("S.Pd., M.Pd.",),
    "Penilik": ("S.Pd.",),
    "Perawat": ("S.Kep., Ns.", "A.Md.Kep."),
    "Bidan": ("A.Md.Keb.", "S.Tr.Keb."),
    "Apoteker": ("S.Farm., Apt.",),
    "Sanitarian": ("S.KM.", "A.Md.KL."),
    "Epidemiolog Kesehatan": ("S.KM., M.Kes.",),
    "Pranata Laboratorium Kesehatan": ("A.Md.AK.",),
    "Radiografer": ("A.Md.Rad.",),
    "Pranata Komputer": ("S.Kom.", "S.Kom.", "A.Md.Kom.", "S.T."),
    "Statistisi": ("S.Si.", "S.Stat."),
    "Auditor": ("S.E., Ak.", "S.E."),
    "Teknik Jalan dan Jembatan": ("S.T.",),
    "Teknik Pengairan": ("S.T.",),
    "Penyuluh Pertanian": ("S.P.", "S.ST."),
    "Perancang Peraturan Perundang-undangan": ("S.H.", "S.H., M.H."),
}
_DEFAULT_DEGREES: Final = (
    "S.E.", "S.Sos.", "S.H.", "S.AP.", "S.IP.", "S.T.", "S.Si.", "A.Md.", "", "",
)  # fmt: skip
_PREFIX_TITLES: Final = {"Dokter": "dr.", "Dokter Spesialis": "dr.", "Medik Veteriner": "drh."}
_HEAD_POSTGRAD: Final = ("M.Si.", "M.M.", "M.AP.", "M.H.", "M.T.", "M.Pd.", "M.Kes.", "M.E.")

# Monthly TPP bands in whole Rupiah, by echelon (demo figures of this project, not a regulation).
_TPP_BANDS: Final[dict[str, tuple[int, int]]] = {
    "II.a": (20_000_000, 25_000_000),
    "II.b": (12_000_000, 15_000_000),
    "III.a": (8_000_000, 10_000_000),
    "III.b": (7_000_000, 9_000_000),
}
_TPP_TU: Final = (3_000_000, 3_750_000)
_TPP_STAFF: Final = (2_500_000, 3_500_000)
_TPP_SPECIALIST: Final = (3_250_000, 4_500_000)


# ======================================================================== the generator
class _Maker:
    """Draws people from one ``random.Random``; remembers NIPs and usernames already used."""

    def __init__(self, rng: random.Random, named: tuple[EmployeeSpec, ...]) -> None:
        self.rng = rng
        self.nips = {e.nip for e in named}
        self.usernames = {e.username for e in named}
        self.pairs: dict[str, int] = {}

    def nip(self, born_from: int, born_to: int, female: bool) -> str:
        """A NIP that ``eoffice.org.nip.nip_problem`` accepts and nobody else holds."""
        rng = self.rng
        while True:
            year = rng.randint(born_from, born_to)
            born = date(year, rng.randint(1, 12), rng.randint(1, 28))
            appointed = min(year + rng.randint(22, 32), 2025)  # CPNS at 22-32, never in future
            nip = (
                f"{born:%Y%m%d}{appointed:04d}{rng.randint(1, 12):02d}"
                f"{2 if female else 1}{rng.randint(1, 999):03d}"
            )
            if nip not in self.nips:
                self.nips.add(nip)
                return nip

    def person(self, position: str, senior: bool, female: bool) -> tuple[str, str]:
        """A (display name with titles, username) pair."""
        rng = self.rng
        first = rng.choice(_FEMALE if female else _MALE)
        last = rng.choice(_LAST)
        middle = ""
        if rng.random() < 0.4:
            middle = rng.choice(_MIDDLE_FEMALE if female else _MIDDLE_MALE)
            if middle == first:
                middle = ""
        plain = " ".join(p for p in (first, middle, last) if p)

        prefix = _PREFIX_TITLES.get(position, "")
        if prefix:
            degree = "Sp.PD." if position == "Dokter Spesialis" else ""
        else:
            degree = rng.choice(_DEGREES.get(position, _DEFAULT_DEGREES))
        if senior:
            first_degree = degree if degree.startswith("S.") else "S.Sos."
            degree = f"{first_degree}, {rng.choice(_HEAD_POSTGRAD)}"
            if rng.random() < 0.35:
                prefix = f"{'Hj.' if female else 'H.'} {prefix}".strip()
        name = f"{prefix} {plain}".strip()
        if degree:
            name = f"{name}, {degree}"

        pair = f"{first}.{last}".lower()
        while True:
            self.pairs[pair] = self.pairs.get(pair, 0) + 1
            username = f"{pair}{self.pairs[pair]:03d}"
            if username not in self.usernames:
                self.usernames.add(username)
                return name, username

    def tpp(self, band: tuple[int, int]) -> int:
        low, high = band
        return self.rng.randrange(low, high + 1, 50_000)

    def employee(
        self,
        unit_code: str,
        position: PositionSpec,
        roles: tuple[Role, ...],
        band: tuple[int, int],
        born: tuple[int, int],
        senior: bool,
    ) -> EmployeeSpec:
        female = self.rng.random() < 0.45
        name, username = self.person(position.name, senior, female)
        return EmployeeSpec(
            nip=self.nip(born[0], born[1], female),
            name=name,
            username=username,
            unit_code=unit_code,
            position_key=position.key,
            office_keys=(_TOP_OF[unit_code],),
            roles=roles,
            tpp_amount=self.tpp(band),
            email=f"{username}@{EMAIL_DOMAIN}",
        )


def _staff_slots() -> tuple[list[tuple[str, tuple[PositionSpec, ...]]], list[float]]:
    """Every unit that takes rank-and-file staff, its staff positions and cumulative weights.

    An agency's functional specialists (teachers, nurses, auditors) work in the agency unit
    itself; its administrative staff are spread over the sections.
    """
    by_unit: dict[str, list[PositionSpec]] = {}
    for p in POSITIONS:
        if not p.is_head and not p.key.endswith(f"/{_slug(_TU_POSITION)}"):
            by_unit.setdefault(p.unit_code, []).append(p)
    slots: list[tuple[str, tuple[PositionSpec, ...]]] = []
    cumulative: list[float] = []
    total = 0.0
    for top in _ALL_TOPS:
        sections = [f"{top.code}.{suffix}" for suffix, _ in top.sections]
        own = 0.6 if top.specialists and sections else 1.0
        shares = [(top.code, own)] + [(s, (1 - own) / len(sections)) for s in sections]
        for code, share in shares:
            total += top.weight * share
            # Specialists outnumber clerks two to one in the agency unit; a title repeated in
            # _Top.specialists (e.g. "Guru" three times) weighs more again.
            titles = (
                (*_GENERAL_STAFF, *top.specialists, *top.specialists)
                if code == top.code
                else _SECTION_STAFF
            )
            keyed = {p.name: p for p in by_unit[code]}
            slots.append((code, tuple(keyed[t] for t in titles)))
            cumulative.append(total)
    return slots, cumulative


_SLOTS, _CUMULATIVE = _staff_slots()
_SPECIALIST_NAMES: Final = frozenset(t for top in _ALL_TOPS for t in top.specialists)


def generate(employee_count: int = 200, seed: int = 7) -> DemoOrg:
    """The demo organisation with ``employee_count`` rank-and-file staff, the same for a seed.

    ``employee_count`` counts staff *on top of* the named demo users and the holders of the
    structural posts (a head for every unit not headed by a named user, a TU clerk for every
    agency, secretariat and kecamatan, about 210 people), so any count, even 0, yields a fully
    staffed organisation: every head position is held by exactly one employee with the ``head``
    role (the root's by the bupati, role ``bupati``). 5,000 matches a real regency.
    """
    if employee_count < 0:
        raise ValueError("employee_count must not be negative")
    rng = random.Random(seed)
    maker = _Maker(rng, NAMED_EMPLOYEES)
    employees = list(NAMED_EMPLOYEES)
    positions = {p.key: p for p in POSITIONS}
    taken = {e.position_key for e in NAMED_EMPLOYEES}

    heads_by_unit = {u.code: positions[head_key(u.code)] for u in UNITS}
    for unit in UNITS:
        head = heads_by_unit[unit.code]
        if head.key in taken:
            continue
        echelon = head.echelon or "II.b"
        top_level = unit.kind is not UnitKind.section
        employees.append(
            maker.employee(
                unit.code,
                head,
                (Role.head,),
                _TPP_BANDS[echelon],
                (1966, 1978) if top_level else (1968, 1986),
                senior=True,
            )
        )

    tu_suffix = _slug(_TU_POSITION)
    for top in _ALL_TOPS:
        tu = positions[f"{top.code}/{tu_suffix}"]
        if tu.key in taken:
            continue
        employees.append(maker.employee(top.code, tu, (Role.tu,), _TPP_TU, (1970, 1998), False))

    picks = rng.choices(_SLOTS, cum_weights=_CUMULATIVE, k=employee_count)
    for unit_code, staff_positions in picks:
        position = rng.choice(staff_positions)
        band = _TPP_SPECIALIST if position.name in _SPECIALIST_NAMES else _TPP_STAFF
        employees.append(
            maker.employee(unit_code, position, (Role.staff,), band, (1966, 2001), False)
        )

    return DemoOrg(units=UNITS, positions=POSITIONS, offices=OFFICES, employees=tuple(employees))


# ======================================================================== calendar
# National holidays (libur nasional) and cuti bersama of 2026, as reported of SKB 3 Menteri
# (Menteri Agama, Menteri Ketenagakerjaan, Menteri PANRB) No. 1497/2025, 2/2025 and 5/2025:
# 17 holidays and 8 days of cuti bersama. DEMO DATA: the regency's administrators maintain the real
# calendar in the application and must check it against the decree (and any later amendment).
HOLIDAYS_2026: Final[list[tuple[date, str]]] = [
    (date(2026, 1, 1), "Tahun Baru 2026 Masehi"),
    (date(2026, 1, 16), "Isra Mikraj Nabi Muhammad SAW"),
    (date(2026, 2, 16), "Cuti bersama Tahun Baru Imlek"),
    (date(2026, 2, 17), "Tahun Baru Imlek 2577 Kongzili"),
    (date(2026, 3, 18), "Cuti bersama Hari Suci Nyepi"),
    (date(2026, 3, 19), "Hari Suci Nyepi (Tahun Baru Saka 1948)"),
    (date(2026, 3, 20), "Cuti bersama Idul Fitri 1447 H"),
    (date(2026, 3, 21), "Idul Fitri 1447 H"),
    (date(2026, 3, 22), "Idul Fitri 1447 H"),
    (date(2026, 3, 23), "Cuti bersama Idul Fitri 1447 H"),
    (date(2026, 3, 24), "Cuti bersama Idul Fitri 1447 H"),
    (date(2026, 4, 3), "Wafat Yesus Kristus"),
    (date(2026, 4, 5), "Kebangkitan Yesus Kristus (Paskah)"),
    (date(2026, 5, 1), "Hari Buruh Internasional"),
    (date(2026, 5, 14), "Kenaikan Yesus Kristus"),
    (date(2026, 5, 15), "Cuti bersama Kenaikan Yesus Kristus"),
    (date(2026, 5, 27), "Idul Adha 1447 H"),
    (date(2026, 5, 28), "Cuti bersama Idul Adha 1447 H"),
    (date(2026, 5, 31), "Hari Raya Waisak 2570 BE"),
    (date(2026, 6, 1), "Hari Lahir Pancasila"),
    (date(2026, 6, 16), "Tahun Baru Islam 1448 H"),
    (date(2026, 8, 17), "Hari Proklamasi Kemerdekaan Republik Indonesia"),
    (date(2026, 8, 25), "Maulid Nabi Muhammad SAW"),
    (date(2026, 12, 24), "Cuti bersama Hari Raya Natal"),
    (date(2026, 12, 25), "Hari Raya Natal"),
]
