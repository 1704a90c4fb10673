"""Masks for personal data, applied on the server before anything reaches a page or a file."""


def mask_resident_id(value: str | None) -> str:
    """110105199001011234 -> 110105********1234 (area code and last four kept).

    Only a full-length number (18, or 15 for first-generation cards) keeps its ends; anything
    shorter would give away most of itself, so it is masked whole.
    """
    if not value:
        return ""
    if len(value) < 15:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678; a shorter number keeps at most its last four, never half of it."""
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    if len(value) < 11:
        return "*" * (len(value) - 4) + value[-4:]
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***; publicity lists show only the first character."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)
