"""Pages carry no inline style, so the Content-Security-Policy can refuse them: style-src is
'self' only (no 'unsafe-inline'). Injected markup then cannot restyle a page (hide a warning, lay
a fake button over a real one). Style lives in the stylesheets under gonghui/static/gonghui/: u-*
utilities where style attributes stood, a component's classes, or a page's own stylesheet.

No template, no script of ours and no Python string that makes HTML carries a ``style="…"``
attribute or a ``<style>`` block, except what ALLOWED names with its reason. Every u-* class a page
uses is defined in the stylesheet that page loads, and every stylesheet a template links exists.
"""

import re
from pathlib import Path

import pytest

import gonghui

ROOT = Path(gonghui.__file__).parent
STATIC = ROOT / "static" / "gonghui"
TEMPLATES = sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)
SCRIPTS = sorted(STATIC.glob("*.js"))
PYTHON = sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)

STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*\\?["']""", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
SET_STYLE_ATTRIBUTE = re.compile(r"""setAttribute\(\s*["']style["']""")

# path relative to gonghui/ => why it may keep an inline style. Templates rendered only into an
# email, a PDF or a Word file, never served as a page under the policy, would belong here; today
# there is none (emails are plain text, certificates are drawn by core.pdf, the report by python-docx).
ALLOWED: dict[str, str] = {}


def _offenders(paths, *patterns) -> list[str]:
    found = []
    for path in paths:
        name = str(path.relative_to(ROOT))
        if name in ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{name}: {m.group(0).strip()}" for p in patterns for m in p.finditer(text)]
    return found


def test_the_scan_sees_the_templates_and_finds_an_inline_style():
    assert len(TEMPLATES) > 150 and SCRIPTS
    assert STYLE_ATTRIBUTE.search('<p style="margin:0">') and STYLE_ATTRIBUTE.search("<p STYLE='x'>")
    assert STYLE_ELEMENT.search("<style>p{}</style>") and STYLE_ELEMENT.search('<style media="print">')
    assert not STYLE_ATTRIBUTE.search('<p class="u-m0" data-style="x">')
    assert not STYLE_ATTRIBUTE.search("lazy_pinyin(text, style=Style.FIRST_LETTER)")
    assert SET_STYLE_ATTRIBUTE.search('el.setAttribute("style", "color:red")')


def test_no_template_carries_an_inline_style():
    assert _offenders(TEMPLATES, STYLE_ATTRIBUTE, STYLE_ELEMENT) == []


def test_no_script_writes_a_style_attribute():
    # element.style.x = … (CSSOM) is not governed by the policy; markup and setAttribute are.
    assert _offenders(SCRIPTS, STYLE_ATTRIBUTE, STYLE_ELEMENT, SET_STYLE_ATTRIBUTE) == []


def test_no_python_string_makes_an_inline_style():
    assert _offenders(PYTHON, STYLE_ATTRIBUTE, STYLE_ELEMENT) == []


def test_every_allowed_file_exists_and_says_why():
    for name, reason in ALLOWED.items():
        assert (ROOT / name).exists(), name
        assert len(reason) > 20, name


def _defined(stylesheet: str) -> set[str]:
    return set(re.findall(r"\.(u-[\w-]+)\s*\{", (STATIC / stylesheet).read_text(encoding="utf-8")))


def _face(path: Path) -> str | None:
    head = path.read_text(encoding="utf-8")[:300]
    for face in ("console", "worker"):
        if f'{{% extends "{face}/base.html" %}}' in head:
            return face
    return None


PARTIALS = {"console/templates/console/_audit_history.html": "console",
            "positions/templates/positions/_navigate.html": "worker"}


@pytest.mark.parametrize("face", ["console", "worker"])
def test_every_utility_a_page_uses_is_in_its_stylesheet(face):
    defined = _defined(f"{face}.css")
    missing = []
    for path in TEMPLATES:
        name = str(path.relative_to(ROOT))
        if (PARTIALS.get(name) or _face(path)) != face:
            continue
        for classes in re.findall(r'class="([^"]*)"', path.read_text(encoding="utf-8")):
            missing += [f"{name}: {c}" for c in re.findall(r"\bu-[\w-]+", classes) if c not in defined]
    assert missing == []


def test_every_linked_stylesheet_exists():
    linked = {m for path in TEMPLATES
              for m in re.findall(r"""\{% static ['"](gonghui/[\w.-]+\.css)['"] %\}""", path.read_text(encoding="utf-8"))}
    assert {"gonghui/courses.css", "gonghui/claims.css", "gonghui/verify.css"} <= linked
    assert [css for css in sorted(linked) if not (ROOT / "static" / css).exists()] == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/w/", "/w/login/", "/accounts/login/", "/no-such-page/"])
def test_pages_send_a_style_policy_without_unsafe_inline(client, path):
    response = client.get(path)
    header = response["Content-Security-Policy"]
    policy = {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}
    assert policy["style-src"] == ["'self'"]
    assert "style-src-attr" not in policy and "style-src-elem" not in policy
