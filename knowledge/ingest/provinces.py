"""Vietnamese provinces: the list, finding one in a text, and restoring their capitals."""

from __future__ import annotations

import re

from knowledge.normalize import fold

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip
_PROVINCE_KEYS = sorted(((fold(p), p) for p in PROVINCES), key=lambda kv: -len(kv[0]))


def recase_names(text: str) -> str:
    """Restore the capitals of province names in lower-cased text."""
    for name in PROVINCES:
        if name.lower() in text.lower():
            text = re.sub(re.escape(name), name, text, flags=re.IGNORECASE)
    return text


def find_province(*texts: str) -> str:
    """The first province named (as whole words) in the texts, or ""."""
    for text in texts:
        key = f" {fold(text)} "
        for pkey, name in _PROVINCE_KEYS:
            if f" {pkey} " in key:
                return name
    return ""


def province_in_text(text: str) -> str:
    """A province written after "tỉnh", "thành phố" or "TP." anywhere in a text, or ""."""
    for m in re.finditer(r"(?:tỉnh|thành phố|TP\.?)\s+((?:[A-ZĐÀ-Ỹ][\wà-ỹđ]*\s?){1,3})", text):
        found = find_province(m.group(1))
        if found:
            return found
    return ""
