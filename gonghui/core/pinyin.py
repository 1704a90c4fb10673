"""Pinyin initials for search boxes: 青山县总工会 -> qsxzgh, ABC物流 -> abcwl."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.core import Pinyin

_SEGMENTER = Pinyin()  # the converter lazy_pinyin uses; only its segmentation is used here


def _ascii_kept(chars: str) -> list[str]:
    # Latin letters and digits in a name are searched as typed; punctuation and spaces are not.
    return [ch for ch in chars if ch.isascii() and ch.isalnum()]


@lru_cache(maxsize=65_536)  # names repeat (an import, a roster page); the same text, the same answer
def initials(text: str) -> str:
    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors=_ascii_kept) if p).lower()


def words(text: str) -> list[str]:
    """The pieces pypinyin converts one at a time: runs of non-Chinese characters, and the words its
    phrase dictionary finds in runs of Chinese ones. A piece reads the same in any text, so
    ``"".join(map(initials, words(t))) == initials(t)``."""
    return _SEGMENTER.seg(text)


def full(text: str) -> str:
    return "".join(lazy_pinyin(text, errors=_ascii_kept)).lower()
