"""Which units a person can belong to: departments and member collectives, never the umbrella."""

from __future__ import annotations

from knowledge.models import Unit
from knowledge.units import department_umbrellas, member_kinds, member_units


def _unit(i: int, name: str, collective: bool = False) -> Unit:
    return Unit(id=i, name=name, is_collective=collective)


def test_only_the_plural_of_the_departments_kind_is_an_umbrella() -> None:
    units = [
        _unit(1, "Phòng Tổ chức cán bộ"),
        _unit(2, "Văn phòng Sở"),
        _unit(3, "Các phòng CMNV Sở", True),
        _unit(4, "Các đơn vị giáo dục", True),
        _unit(5, "Phòng GDĐT quận, huyện", True),
        _unit(6, "Các ban của Sở", True),  # no "Ban …" unit exists: a member kind
    ]
    assert department_umbrellas(units) == {3}
    assert [u.id for u in member_units(units)] == [1, 2, 4, 5, 6]
    # with a "Ban …" department the plural "Các ban" becomes its umbrella
    assert department_umbrellas([*units, _unit(7, "Ban Quản lý dự án")]) == {3, 6}


def test_member_kinds_name_what_a_collective_stands_for() -> None:
    schools = Unit(
        name="Các đơn vị giáo dục",
        is_collective=True,
        aliases=[
            "đơn vị giáo dục",
            "các trường THPT",
            "trường THPT",
            "trung tâm GDNN-GDTX",
            "Trung tâm GDTX",
            "các đơn vị trực thuộc",
        ],
    )
    assert member_kinds(schools) == ["trường THPT", "trung tâm GDNN-GDTX"]
    districts = Unit(
        name="Phòng GDĐT quận, huyện",
        is_collective=True,
        aliases=["Phòng GDĐT các quận, huyện", "Phòng Giáo dục và Đào tạo"],
    )
    assert member_kinds(districts) == []
    assert member_kinds(Unit(name="Phòng Tổ chức cán bộ", aliases=["Tổ chức cán bộ"])) == []
