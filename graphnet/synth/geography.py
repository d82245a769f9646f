"""Places of the scenarios: origin villages, routes, lodgings, crossings, offices.

Modelled on the West Kalimantan route of shared/DOMAIN.md: job seekers from
East Nusa Tenggara (NTT), West Java and other provinces fly into Supadio
Airport (Pontianak), are lodged in ordinary accommodation near the border and
cross to Sarawak at Entikong or by an unguarded path. The national preset adds
other provinces' routes. Region codes are the first digits of a NIK.

>>> ROUTES["kalbar"].police
'POLDA KALBAR'
>>> all(len(v.region) == 6 for r in ORIGINS.values() for v in r)
True
"""

from __future__ import annotations

import dataclasses

__all__ = ["Village", "Route", "ORIGINS", "ROUTES", "LOCAL_REGIONS"]


@dataclasses.dataclass(frozen=True)
class Village:
    name: str
    district: str
    regency: str
    province: str   # short form as written in case files (NTT, Jawa Barat, ...)
    region: str     # 6-digit NIK region code
    community: str  # which name pool its people draw from

    @property
    def origin(self) -> str:
        return f"Desa {self.name}, Kec. {self.district}, Kab. {self.regency}, {self.province}"


def _v(province: str, community: str, regency: str, code: str, rows: list[tuple[str, str, str]]) -> list[Village]:
    return [Village(n, d, regency, province, code + dc, community) for n, d, dc in rows]


ORIGINS: dict[str, list[Village]] = {
    "NTT": (
        _v("NTT", "ntt", "Kupang", "5301", [("Oelbiteno", "Fatuleu", "10"), ("Naibonat", "Kupang Timur", "04"), ("Oesao", "Kupang Timur", "04")])
        + _v("NTT", "ntt", "Timor Tengah Selatan", "5302", [("Kuanfatu", "Kuanfatu", "12"), ("Oinlasi", "Amanatun Selatan", "08"), ("Nule", "Amanuban Barat", "03")])
        + _v("NTT", "ntt", "Belu", "5304", [("Haliwen", "Atambua Utara", "02"), ("Silawan", "Tasifeto Timur", "05")])
    ),
    "Jawa Barat": (
        _v("Jawa Barat", "java", "Indramayu", "3212", [("Juntinyuat", "Juntinyuat", "15"), ("Krasak", "Jatibarang", "09")])
        + _v("Jawa Barat", "java", "Cianjur", "3203", [("Cibeber", "Cibeber", "07"), ("Sukamulya", "Cugenang", "20")])
        + _v("Jawa Barat", "java", "Sukabumi", "3202", [("Cidahu", "Cidahu", "33"), ("Sukaraja", "Sukaraja", "05")])
        + _v("Jawa Barat", "java", "Karawang", "3215", [("Pasirukem", "Cilamaya Kulon", "18")])
    ),
    "NTB": _v("NTB", "java", "Lombok Timur", "5203", [("Sakra", "Sakra", "09"), ("Pringgabaya", "Pringgabaya", "12")]),
    "Jawa Tengah": _v("Jawa Tengah", "java", "Cilacap", "3301", [("Kroya", "Kroya", "13"), ("Maos", "Maos", "18")]),
    "Kalimantan Barat": (
        _v("Kalimantan Barat", "kalbar", "Sambas", "6101", [("Tebas Kuala", "Tebas", "05"), ("Semparuk", "Semparuk", "13")])
        + _v("Kalimantan Barat", "kalbar", "Sanggau", "6103", [("Entikong", "Entikong", "13"), ("Balai Karangan", "Sekayam", "12")])
    ),
}

# Regions of people living along the route (drivers, operators, officers, background).
LOCAL_REGIONS: tuple[tuple[str, str], ...] = (
    ("617101", "kalbar"), ("617102", "kalbar"), ("617105", "chinese"), ("610313", "kalbar"),
    ("610312", "kalbar"), ("610105", "kalbar"), ("610202", "kalbar"), ("617201", "chinese"),
)


@dataclasses.dataclass(frozen=True)
class Route:
    province: str            # as written in police_cases.province
    police: str              # suffix of case numbers
    courts: tuple[str, ...]
    origins: tuple[str, ...]  # keys of ORIGINS victims come from
    towns: tuple[tuple[str, str], ...]  # (lodging town, address street) near the crossing
    official_crossing: str
    paths: tuple[str, ...]   # unguarded paths
    services: tuple[tuple[str, str], ...]  # (service name, kind) public transport to the border
    plate: str               # plate prefix
    offices: tuple[str, ...]  # immigration offices issuing passports
    destinations: tuple[str, ...]  # where victims are deported from


ROUTES: dict[str, Route] = {
    "kalbar": Route(
        "Kalimantan Barat", "POLDA KALBAR",
        ("Pengadilan Negeri Pontianak", "Pengadilan Negeri Sanggau", "Pengadilan Negeri Sambas"),
        ("NTT", "Jawa Barat", "NTB", "Jawa Tengah", "Kalimantan Barat"),
        (("Entikong", "Jl. Lintas Malindo"), ("Balai Karangan", "Jl. Raya Sekayam"),
         ("Sanggau", "Jl. Jenderal Sudirman"), ("Pontianak", "Jl. Gajah Mada"),
         ("Sungai Raya", "Jl. Arteri Supadio")),
        "PLBN Entikong",
        ("Jalan tikus Jagoi Babang", "Jalan tikus Sajingan", "Jalur Segumon", "Jalan tikus Badau", "Jalur Sungai Kelik"),
        (("DAMRI Pontianak-Entikong", "bus"), ("Bus Bintang Jaya Pontianak-Kuching", "bus"),
         ("Travel Bandara Supadio-Entikong", "travel"), ("Travel Sinar Perbatasan", "travel"),
         ("Speedboat Kapuas Indah", "boat")),
        "KB",
        ("Kantor Imigrasi Kelas I Pontianak", "Kantor Imigrasi Kelas II Entikong", "Kantor Imigrasi Kelas II Sanggau"),
        ("Kuching, Sarawak", "Serian, Sarawak", "Bintulu, Sarawak", "Sibu, Sarawak", "Miri, Sarawak"),
    ),
    "kepri": Route(
        "Kepulauan Riau", "POLDA KEPRI",
        ("Pengadilan Negeri Batam", "Pengadilan Negeri Tanjung Pinang"),
        ("NTB", "Jawa Barat", "Jawa Tengah", "NTT"),
        (("Batam", "Jl. Raden Patah"), ("Batam", "Jl. Imam Bonjol"), ("Tanjung Pinang", "Jl. Merdeka")),
        "Pelabuhan Batam Centre",
        ("Pelabuhan rakyat Tanjung Uncang", "Pantai Nongsa"),
        (("Ferry Batam Fast", "boat"), ("Travel Batam Jaya", "travel")),
        "BP",
        ("Kantor Imigrasi Kelas I Batam", "Kantor Imigrasi Kelas I Tanjung Pinang"),
        ("Johor Bahru, Johor", "Kuala Lumpur", "Melaka"),
    ),
    "kaltara": Route(
        "Kalimantan Utara", "POLDA KALTARA",
        ("Pengadilan Negeri Nunukan", "Pengadilan Negeri Tarakan"),
        ("NTT", "NTB", "Jawa Tengah"),
        (("Nunukan", "Jl. Tien Soeharto"), ("Tarakan", "Jl. Yos Sudarso")),
        "Pelabuhan Tunon Taka Nunukan",
        ("Jalur Sebatik", "Jalan tikus Simanggaris"),
        (("KM Nunukan Express", "boat"), ("Speedboat Sebatik", "boat")),
        "KU",
        ("Kantor Imigrasi Kelas II Nunukan", "Kantor Imigrasi Kelas II Tarakan"),
        ("Tawau, Sabah", "Sandakan, Sabah", "Kota Kinabalu, Sabah"),
    ),
}
