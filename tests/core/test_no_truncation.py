"""No silent truncation: text longer than its field holds is refused with the limit named, never cut.

An AST scan of the modules that take user input (services, API, forms, validation) finds every
``value[:N]`` slice. Each slice still there is in ``ALLOWED`` with the reason it is not a person's
text being cut: a query's page, a search term that is never stored, bytes of a file being sniffed, a
derived value. A new slice of user text fails here: refuse it with ``core.limits.check_length``
against the model field's ``max_length`` instead, or — for a copy of a text kept whole elsewhere
— shorten it visibly with ``core.limits.excerpt``.
"""

import ast
import pathlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts import services as accounts
from gonghui.core.limits import TooLong, excerpt
from gonghui.funds.models import ProjectEvent, ProjectState
from gonghui.funds.services import projects
from gonghui.members.models import Member, MemberEvent, MemberStatus
from gonghui.members.services import roster
from gonghui.positions.validation import clean_position_fields
from gonghui.stats import services as stats
from gonghui.stats.models import ReportTemplate
from tests.factories import resident_id
from tests.funds.kit import project_at, reviewer_of

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "gonghui"

# (module path under gonghui/, the sliced expression as ast.unparse writes it) → why it is not a cut of user text.
QUERY_CAP = "a cap on the rows of a query, not text"
ALLOWED = {
    # --- the API layer ---
    ("orgs/api.py", "value[:50]"): "a refused value quoted back in an error message",
    ("activities/api.py", "selectors.services_of(obj)[:TEAM_RECENT_SERVICES]"):
        "a team's latest services beside their count, every one paged at /volunteer-teams/{id}/services",
    ("members/api.py", "staged.errors[:IMPORT_ERRORS_PAGE]"):
        "the first page of an import's errors, with their count; every one is at /imports/{token}/errors",
    # --- derived values, not what a person typed ---
    ("orgs/services.py", "pinyin.initials(node.name)[:100]"): "pinyin initials derived for search",
    ("orgs/services.py", "pinyin.full(node.name)[:400]"): "full pinyin derived for search",
    ("orgs/services.py", "pinyin.initials(employer.name)[:100]"): "pinyin initials derived for search",
    ("members/services/roster.py", "pinyin.initials(person.name)[:50]"): "pinyin initials derived for search",
    ("members/services/importing/headers.py", "rows[:HEADER_SEARCH_ROWS]"): "the header is looked for in the first rows",
    ("members/services/importing/reading.py", "text[:20000].splitlines()[:HEADER_SEARCH_ROWS]"):
        "the header is looked for in the first rows",
    ("members/services/importing/reading.py", "text[:20000]"): "the start of a text file, to find its header",
    ("members/services/importing/reading.py", "text[:100000]"): "the start of a text file, to sniff its delimiter",
    ("members/services/joining.py", "named[:SEARCH_LIMIT]"): QUERY_CAP,
    ("members/services/joining.py", "employers.order_by('name', 'pk')[:SEARCH_LIMIT]"): QUERY_CAP,
    ("members/services/joining.py", "_accepting().filter(kind__in=INDUSTRY_KINDS)[:SEARCH_LIMIT]"): QUERY_CAP,
    ("accounts/services.py", "key[:8]"): "the first characters of a generated token, shown to tell tokens apart",
    ("members/services/importing/writing.py", "make_card_number(node=node)[:6]"): "the region part of a card number",
    ("members/services/importing/parsing.py", "day.isoformat()[:7]"): "the month of a date",
    ("members/services/importing/validating.py", "convert_style(r, Style.FIRST_LETTER, strict=True)[:1]"):
        "pinyin initials derived for search",
    ("members/services/importing/validating.py", "''.join(map(pinyin.initials, pinyin.words(name)))[:50]"):
        "pinyin initials derived for search",
    ("members/services/importing/validating.py", "''.join(parts)[:50]"): "pinyin initials derived for search",
    ("members/services/importing/validating.py", "person.birth_date.isoformat()[:7]"): "the month of a date",
    ("members/services/importing/reading.py", "data[:1024]"): "the first bytes of a file, to sniff its kind",
    ("members/services/importing/reading.py", "header[:4]"): "the first bytes of a file, to sniff its kind",
    ("members/services/importing/reading.py", "buf[:4096]"): "the first bytes of a sheet, to read its size",
    ("members/services/importing/reading.py", "visible[:10]"): "at most ten sheets of a workbook are read",
    ("members/services/importing/reading.py", "book.worksheets[:10]"): "at most ten sheets of a workbook are read",
    ("members/services/joining.py", "str(code)[:12]"): "a node code looked up, never stored",
    ("members/services/joining.py", "str(area)[:12]"): "an area code looked up, never stored",
    ("positions/services/importing.py", "rows[:20]"): "the header is looked for in the first rows",
    ("positions/services/importing.py", "orgs.node_list().filter(name=value)[:2]"): QUERY_CAP,
    ("rights/services/digest.py", "cases[:10]"): "the first ten tracking codes named in a digest",
    ("funds/services/evaluation.py", "unscored[:5]"): "the first names listed in an error",
    ("funds/services/awards.py", "unscored[:5]"): "the first names listed in an error",
    ("activities/services/signup.py", "str(data.get('n', ''))[:40]"): "a value read back from the server's own signed token",
    ("members/services/joining.py", "str(service)[:100]"): "the name of a service put in the server's own signed token",
    ("members/services/joining.py", "channel[:20]"): "the channel put in the server's own signed token",
    ("messaging/services.py",
     "Message.objects.filter(state__in=DUE_STATES, urgent=True, next_try_at__lte=timezone.now())"
     ".order_by('next_try_at', 'pk').values_list('pk', flat=True)[:50]"): QUERY_CAP,
    ("privacy/services.py", "str(sheet.title)[:31]"): "a spreadsheet's sheet name (Excel allows 31 characters)",
}


def _files():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        parts = rel.split("/")
        if "migrations" in parts:
            continue
        name = parts[-1]
        if (name in ("services.py", "validation.py", "api.py", "worker_api.py", "forms.py")
                or name.startswith("api_") or "services" in parts[:-1] or "api" in parts[1:-1]):
            yield rel, path


def _declared_size(upper) -> bool:
    """A number or a constant's name (``200``, ``SEARCH_LIMIT``); ``path[:i]`` walks a tree path."""
    if isinstance(upper, ast.Constant):
        return isinstance(upper.value, int)
    return isinstance(upper, ast.Name) and upper.id.isupper()


def _slices():
    """(module, sliced expression, line) for every ``x[:N]`` with N a number or a name."""
    for rel, path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)
                    and node.slice.lower is None and node.slice.step is None and node.slice.upper is not None
                    and _declared_size(node.slice.upper)):
                yield rel, ast.unparse(node), node.lineno


def test_no_service_cuts_user_text():
    found = [(rel, expr, line) for rel, expr, line in _slices() if (rel, expr) not in ALLOWED]
    assert not found, ("Slices that may cut a person's text silently; refuse with core.limits.check_length "
                       "(or shorten a copy with core.limits.excerpt), or allow the slice here with a reason:\n"
                       + "\n".join(f"  gonghui/{rel}:{line}  {expr}" for rel, expr, line in found))


def test_every_allowed_slice_is_still_there():
    present = {(rel, expr) for rel, expr, _ in _slices()}
    stale = sorted(key for key in ALLOWED if key not in present)
    assert not stale, f"Allowed slices no longer in the code (take them out): {stale}"


def test_every_allowance_says_why():
    assert all(reason.strip() for reason in ALLOWED.values())


# --- behaviour: refused with the field and its limit named, nothing changed ---------------------------

@pytest.fixture
def member(tree):
    with scopes_disabled():
        return roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="陈志强",
                                    id_number=resident_id("19820303", 315), employment_form="contract")


def test_a_report_template_over_its_limit_is_refused_not_cut(tree):
    text = "会员{members.total}人。" + "字" * 20_000
    with scopes_disabled(), pytest.raises(TooLong) as refused:
        stats.save_report_template(node=tree.a, text=text, actor=tree.user("a_admin"))
    assert refused.value.field == "text" and "20000" in refused.value.message
    with scopes_disabled():
        assert not ReportTemplate.objects.filter(node=tree.a).exists()


def test_the_template_page_names_the_limit_and_saves_nothing(client, tree):
    client.force_login(tree.user("a_admin"))
    url = f"{reverse('stats:template')}?node={tree.a.pk}"
    response = client.post(url, {"node": tree.a.pk, "text": "字" * 20_001})
    assert response.status_code == 200 and "20000" in response.content.decode()
    with scopes_disabled():
        assert not ReportTemplate.objects.filter(node=tree.a).exists()


def test_a_cadre_name_over_50_characters_is_refused_not_cut(tree):
    clerk = tree.user("b_clerk")
    before = clerk.display_name
    with scopes_disabled(), pytest.raises(TooLong) as refused:
        accounts.update_cadre(user=clerk, actor=tree.user("a_admin"), display_name="张" * 51, phone="")
    assert refused.value.field == "display_name" and refused.value.limit == 50
    clerk.refresh_from_db()
    assert clerk.display_name == before


def test_the_api_answers_422_with_the_field_and_nothing_changes(client, tree, member):
    client.force_login(tree.user("b_clerk"))
    response = client.post(f"/api/v1/members/{member.pk}/end", {"status": "left", "reason": "换" * 201},
                           content_type="application/json")
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == "reason" and "200" in body["errors"]["reason"][0]
    with scopes_disabled():
        assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE
        assert not MemberEvent.objects.filter(member=member, reason__startswith="换换").exists()


def test_a_position_description_is_refused_on_every_surface_alike():
    # console form, API, xlsx import and demo all clean a position's fields here
    with pytest.raises(ValidationError) as refused:
        clean_position_fields({"description": "述" * 2001}, partial=True)
    assert "2000" in refused.value.message_dict["description"][0]
    assert clean_position_fields({"description": "述" * 2000}, partial=True)["description"] == "述" * 2000


def test_a_copy_is_shortened_visibly():
    assert excerpt("字" * 600, ProjectEvent, "comment") == "字" * 499 + "…"
    assert excerpt("短", ProjectEvent, "comment") == "短"


def test_a_rejection_reason_longer_than_the_outcome_is_refused_and_the_project_stays(tree):
    project = project_at(tree, tree.c)
    reviewer = reviewer_of(tree, project)
    with scopes_disabled():
        events = ProjectEvent.objects.filter(project=project).count()
        with pytest.raises(TooLong) as refused:
            projects.reject_project(project=project, actor=reviewer, comment="缺" * 201)
        assert refused.value.field == "comment" and refused.value.limit == 200
        with pytest.raises(TooLong):
            projects.pass_review(project=project, actor=reviewer, comment="好" * 501)
        project.refresh_from_db()
        assert project.state == ProjectState.APPLIED and project.outcome == ""
        assert ProjectEvent.objects.filter(project=project).count() == events
        projects.reject_project(project=project, actor=reviewer, comment="缺" * 200)  # at the limit: kept whole
        project.refresh_from_db()
        assert project.outcome == "缺" * 200
