"""Simplified Chinese for edits that lose nothing (core.editing): the "changed by someone else" answer."""

ZH = {
    "Someone else changed this record after you opened it. Reload the page and make your change again.":
        "您打开此页后，该记录已被他人修改。请刷新页面后重新修改。",
}
