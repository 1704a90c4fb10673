"""Pinyin initials for search boxes: 青山县总工会 -> qsxzgh, ABC物流 -> abcwl."""

from pypinyin import Style, lazy_pinyin


def _ascii_kept(chars: str) -> list[str]:
    # Latin letters and digits in a name are searched as typed; punctuation and spaces are not.
    return [ch for ch in chars if ch.isascii() and ch.isalnum()]


def initials(text: str) -> str:
    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors=_ascii_kept) if p).lower()


def full(text: str) -> str:
    return "".join(lazy_pinyin(text, errors=_ascii_kept)).lower()
