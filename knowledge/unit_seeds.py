"""Built-in unit data: the usual units of a Sở GDĐT, generic phrases, and unit head words."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.normalize import fold

# The province whose documents the built-in units were written from. Their names and the
# genre's wording ("các phòng Sở", "đơn vị trực thuộc") hold everywhere; `SeedUnit.local`
# aliases (partial names and abbreviations) are that province's usage and only resolve names in
# its documents: another province's "Phòng GDTH" may be its Giáo dục Tiểu học.
SEED_PROVINCE = "Hải Phòng"


@dataclass(frozen=True)
class SeedUnit:
    name: str
    short: str
    aliases: tuple[str, ...]
    collective: bool = False
    local: tuple[str, ...] = ()  # aliases of SEED_PROVINCE's documents only

    def all_aliases(self) -> tuple[str, ...]:
        return (*self.aliases, *self.local)


# Common units of a Sở GDĐT. Documents add more (see UnitCatalog.learn).
SEED_UNITS: tuple[SeedUnit, ...] = (
    SeedUnit("Văn phòng Sở", "VP", ("Văn phòng", "VP Sở", "Văn phòng Sở GDĐT", "Chánh Văn phòng")),
    SeedUnit(
        "Phòng Tổ chức cán bộ",
        "TCCB",
        ("Tổ chức cán bộ", "Phòng TCCB", "Tổ chức - Cán bộ", "Phòng Tổ chức - Cán bộ"),
    ),
    SeedUnit(
        "Phòng Kế hoạch - Tài chính",
        "KHTC",
        (
            "Kế hoạch tài chính",
            "Kế hoạch - Tài chính",
            "Phòng KHTC",
            "KH-TC",
            "Phòng KH-TC",
            "Phòng Kế hoạch Tài chính",
        ),
    ),
    SeedUnit("Thanh tra Sở", "Thanh tra", ("Thanh tra", "Thanh tra Sở GDĐT", "TTr Sở")),
    SeedUnit(
        "Phòng Giáo dục Thường xuyên và Đại học",
        "GDTX&ĐH",
        (
            "GDTX&DH",
            "GDTX-ĐH",
            "GDTX và ĐH",
            "Giáo dục Thường xuyên và Đại học",
            "Phòng GDTX&ĐH",
        ),
        local=("Phòng GDTX",),
    ),
    SeedUnit(
        "Phòng Giáo dục Trung học",
        "GDTrH",
        ("Giáo dục Trung học", "Phòng GDTrH", "GD Trung học"),
        local=("Phòng GDTH",),
    ),
    SeedUnit(
        "Phòng Khảo thí và Kiểm định chất lượng giáo dục",
        "KT&KĐCLGD",
        (
            "Khảo thí và Kiểm định chất lượng giáo dục",
            "Khảo thí và KĐCLGD",
            "Phòng KT&KĐCLGD",
        ),
        local=("Phòng Khảo thí", "Khảo thí", "KTKĐ"),
    ),
    SeedUnit(
        "Phòng GDĐT quận, huyện",
        "Phòng GDĐT",
        (
            "Phòng GDĐT các quận, huyện",
            "Phòng GDĐT quận huyện",
            "Phòng Giáo dục và Đào tạo quận, huyện",
            "Phòng GDĐT các huyện, thị xã, thành phố",
            "phòng GDĐT các huyện, thị xã, thành phố",
            "Phòng Giáo dục và Đào tạo",
            "Phòng GD&ĐT",
        ),
        True,
    ),
    SeedUnit(
        "Các đơn vị giáo dục",
        "Đơn vị giáo dục",
        (
            "đơn vị giáo dục",
            "các trường THPT",
            "trường THPT",
            "trung tâm GDNN-GDTX",
            "các trung tâm GDNN-GDTX",
            "Trung tâm GDTX",
            "đơn vị trực thuộc",
            "các đơn vị trực thuộc",
            "các đơn vị trực thuộc Sở",
            "đơn vị thuộc Sở",
            "các đơn vị thuộc Sở",
            "các trường trung học phổ thông",
            "trường trung học phổ thông",
            "các trường",
            "nhà trường",
            "các trường học",
            "trường học",
            "trường PT nhiều cấp",
            "trường PT có nhiều cấp học",
            "các trường PT có nhiều cấp học",
            "trường phổ thông có nhiều cấp học",
            "các cơ sở giáo dục trực thuộc",
            # how documents address them: "Hiệu trưởng các trường THPT", "Thủ trưởng các đơn
            # vị trực thuộc"
            "hiệu trưởng",
            "hiệu trưởng các trường",
            "thủ trưởng các đơn vị trực thuộc",
        ),
        True,
    ),
    SeedUnit(
        "Các phòng CMNV Sở",
        "Các phòng Sở",
        (
            "các phòng Sở",
            "các phòng cơ quan Sở",
            "các phòng chuyên môn nghiệp vụ",
            "các phòng chuyên môn nghiệp vụ Sở",
            "các phòng chuyên môn nghiệp vụ thuộc Sở",
            "phòng chuyên môn nghiệp vụ thuộc Sở",
            "các phòng CMNV cơ quan Sở",
            "các phòng CMNV",
            "các phòng thuộc Sở",
            "các phòng chuyên môn",
            "các phòng chuyên môn thuộc Sở",
            "các phòng",
        ),
        True,
    ),
)

# Phrases that name nobody in particular; they are split off unit cells but never become units.
GENERIC_PHRASES: tuple[str, ...] = (
    "các cơ quan, tổ chức có liên quan",
    "các cơ quan, tổ chức liên quan",
    "các cơ quan, đơn vị có liên quan",
    "các cơ quan, đơn vị liên quan",
    "các phòng, đơn vị có liên quan",
    "các phòng, đơn vị liên quan",
    "các cơ quan có liên quan",
    "các cơ quan liên quan",
    "các đơn vị có liên quan",
    "các đơn vị liên quan",
    "các phòng có liên quan",
    "các phòng liên quan",
    "các phòng chức năng liên quan",
    "các phòng chức năng có liên quan",
    "các đơn vị",
    "các cơ quan",
    "đơn vị liên quan",
    "cơ quan liên quan",
)

UNIT_HEAD_WORDS = (
    "phong",
    "van phong",
    "thanh tra",
    "ban",
    "trung tam",
    "to",
    "hoi dong",
    "truong",
    "so",
    "ubnd",
    "uy ban",
    "cac truong",
    "cac trung tam",
    "cong doan",
    "doan",
    "bo phan",
)


def alias_scope(unit_name: str, alias: str) -> str:
    """The folded province an alias of a built-in unit is limited to; "" when it holds in
    every province's documents (the unit's name, its genre-wide wording, learned aliases)."""
    name_key = fold(unit_name)
    for seed in SEED_UNITS:
        if fold(seed.name) == name_key:
            alias_key = fold(alias)
            if any(fold(local) == alias_key for local in seed.local):
                return fold(SEED_PROVINCE)
            return ""
    return ""
