"""Simplified Chinese of the length limits (gonghui.core.limits): too long is refused, never cut."""

ZH = {
    "%(field)s cannot be longer than %(limit)d characters (it has %(size)d).":
        "%(field)s不能超过 %(limit)d 个字（现有 %(size)d 个字）。",
}
