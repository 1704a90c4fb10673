"""Pinyin initials for search boxes: 青山县总工会 -> qsxzgh."""

from pypinyin import Style, lazy_pinyin


def initials(text: str) -> str:
    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore") if p).lower()


def full(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="ignore")).lower()
