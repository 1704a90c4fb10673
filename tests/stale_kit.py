"""Helpers of the stale-edit tests (issue 17, finding 1): read an edit page's form as a browser
would submit it, so a test can post it back after someone else changed the record."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.data.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def form_data(page: str) -> dict[str, str]:
    """The fields of the largest post form of ``page`` (the edit form, not the sign-out button)
    with their rendered values."""
    best: dict[str, str] = {}
    for chunk in page.split("<form")[1:]:
        if 'method="post"' not in chunk[:200]:
            continue
        reader = _FormReader()
        reader.feed("<form" + chunk.split("</form>")[0])
        if len(reader.data) > len(best):
            best = reader.data
    return best
