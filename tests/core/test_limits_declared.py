"""One declaration of each limit: a form's or a schema's ``max_length`` is the model field's
(``limit_of(Model, "field")``) or, for input no model field holds as typed, a named constant
(``core.limits`` for shapes shared by apps, ``<app>/limits.py`` for the rest).

A number written into a form or a schema (wherever the form is declared: a forms module, a view
module of the worker's phone pages) would be a second declaration that can drift from the
model's (a form allowing 100 where the column holds 80 cuts or fails at the database); the scan
below fails on it.
"""

import ast
import importlib
import pathlib

from gonghui.activities.forms import ActivityForm
from gonghui.activities.models import Activity
from gonghui.core import limits
from gonghui.rights.api import ClaimIn

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "gonghui"


def _modules():
    """Every module but migrations and models (a model field is where a limit is declared)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        parts = rel.parts
        if "migrations" in parts or len(parts) < 2 or "models" in parts or parts[-1] == "models.py":
            continue
        yield rel, path


def _is_face(rel) -> bool:
    """A module declaring forms and API schemas (all its ``max_length`` keywords are checked)."""
    parts = rel.parts
    return parts[-1].startswith(("forms", "api", "worker_api", "schemas")) or (len(parts) == 3 and parts[1] == "api")


def _faces():
    """The modules declaring forms and API schemas."""
    for rel, path in _modules():
        if _is_face(rel):
            yield rel.as_posix(), path


def _module_name(rel: str) -> str:
    return "gonghui." + rel.removesuffix(".py").replace("/", ".")


def _max_lengths():
    """(module, line, value node) for every ``max_length=…`` keyword of a form or schema module, and
    of every form field declared elsewhere (``forms.CharField(…)`` in a view module: the worker's
    phone pages, a console page's small form)."""
    for rel, path in _modules():
        face = _is_face(rel)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not (face or ast.unparse(node.func).startswith("forms.")):
                continue
            for keyword in node.keywords:
                if keyword.arg == "max_length":
                    yield rel.as_posix(), keyword.value.lineno, keyword.value


def test_the_scan_sees_the_forms_and_schemas():
    scanned = {rel for rel, _ in _faces()}
    assert {"activities/forms.py", "rights/api.py", "funds/api/projects.py", "core/schemas.py"} <= scanned
    # form fields declared outside a forms module: the worker's phone pages, views with a small form
    elsewhere = {rel for rel, _line, _value in _max_lengths()} - scanned
    assert {"worker/assistance.py", "worker/membership.py", "worker/stations.py", "rights/views/checkups.py",
            "positions/views/bookrooms.py", "core/editing.py"} <= elsewhere
    assert sum(1 for _ in _max_lengths()) > 200


def test_no_form_or_schema_writes_a_limit_as_a_number():
    numbers = [f"gonghui/{rel}:{line}  max_length={ast.unparse(value)}" for rel, line, value in _max_lengths()
               if isinstance(value, ast.Constant)]
    assert not numbers, ("Take the limit from the model field (core.limits.limit_of(Model, 'field')) or, "
                         "for input no model field holds, from a named constant:\n" + "\n".join(numbers))



# A service or a validation module measuring text against a number of its own (``clean_name(v,
# max_length=100)``) is a second declaration too: the form refuses at the model's limit, the service at
# its own, and an import or the API that reaches only the service cuts or refuses elsewhere. Each entry
# here is a number with a reason no model field or named constant could hold it.
SERVICE_NUMBERS_ALLOWED: dict[tuple[str, int], str] = {}


def _is_service(rel) -> bool:
    parts = rel.parts
    return parts[-1] in ("services.py", "validation.py") or "services" in parts[:-1]


def _service_numbers():
    """(module, line, number) for every ``max_length=<number>`` keyword in a services or validation module."""
    for rel, path in _modules():
        if not _is_service(rel):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if (keyword.arg == "max_length" and isinstance(keyword.value, ast.Constant)
                            and isinstance(keyword.value.value, int)):
                        yield rel.as_posix(), keyword.value.lineno, keyword.value.value


def test_the_service_scan_sees_the_services_and_validation():
    scanned = {rel.as_posix() for rel, _ in _modules() if _is_service(rel)}
    assert {"members/validation.py", "positions/validation.py", "orgs/services.py", "aid/services/wishes.py",
            "rights/services/cases.py"} <= scanned


def test_no_service_measures_text_against_a_number_of_its_own():
    numbers = [f"gonghui/{rel}:{line}  max_length={value}" for rel, line, value in _service_numbers()
               if (rel, value) not in SERVICE_NUMBERS_ALLOWED]
    assert not numbers, ("Measure against the model field's limit (core.limits.limit_of(Model, 'field')) or, "
                         "for text no model field holds, a named constant of the app's limits.py:\n"
                         + "\n".join(numbers))


def test_a_service_refuses_at_the_model_fields_limit_and_names_it(tree):
    from django.core.exceptions import ValidationError
    from django_scopes import scopes_disabled

    from gonghui.orgs.models import Node
    from gonghui.orgs.services import update_node

    limit = limits.limit_of(Node, "short_name")
    node = tree.c
    before = node.short_name
    with scopes_disabled():
        try:
            update_node(node=node, actor=tree.user("a_admin"), short_name="简" * (limit + 1))
        except ValidationError as refused:
            assert str(limit) in " ".join(refused.messages)
        else:
            raise AssertionError("a short name over the field's limit was taken")
        node.refresh_from_db()
        assert node.short_name == before


def test_every_limit_named_after_a_model_field_is_that_fields_limit():
    """``limit_of(Model, "field")`` must name a field with a ``max_length`` (a TextField has none,
    and a form given None would take text of any length)."""
    checked, wrong = 0, []
    for rel, line, value in _max_lengths():
        if not (isinstance(value, ast.Call) and ast.unparse(value.func) == "limit_of"):
            continue
        model_name, field_name = ast.unparse(value.args[0]), value.args[1].value
        module = importlib.import_module(_module_name(rel))
        model = getattr(module, model_name)
        if limits.limit_of(model, field_name) is None:
            wrong.append(f"gonghui/{rel}:{line}  {model_name}.{field_name} has no max_length")
        checked += 1
    assert checked > 120
    assert not wrong, "\n".join(wrong)


def test_every_named_limit_is_a_positive_number():
    for rel, line, value in _max_lengths():
        if isinstance(value, (ast.Name, ast.Attribute)) and ast.unparse(value).split(".")[-1].isupper():
            module = importlib.import_module(_module_name(rel))
            resolved = eval(compile(ast.Expression(value), rel, "eval"), vars(module))  # noqa: S307 - a name from the module itself
            assert isinstance(resolved, int) and resolved > 0, f"gonghui/{rel}:{line}"


def test_a_form_refuses_what_the_model_field_does_not_hold_and_names_the_limit():
    limit = Activity._meta.get_field("title").max_length
    form = ActivityForm(data={"title": "活" * (limit + 1)})
    form.is_valid()
    assert str(limit) in " ".join(form.errors["title"])
    assert ActivityForm.base_fields["title"].max_length == limit


def test_a_schema_takes_the_same_limit_as_the_form():
    from gonghui.rights.forms import ClaimForm
    from gonghui.rights.models import Case

    assert ClaimIn.model_fields["employer_name"].metadata[0].max_length == Case._meta.get_field("employer_name").max_length
    assert ClaimForm.base_fields["employer_name"].max_length == Case._meta.get_field("employer_name").max_length


def test_a_phone_pages_form_refuses_past_the_model_fields_limit_and_names_it():
    from gonghui.aid.models import Wish
    from gonghui.worker.assistance import WishForm

    limit = limits.limit_of(Wish, "title")
    form = WishForm(data={"title": "愿" * (limit + 1), "kind": "item"})
    assert not form.is_valid() and str(limit) in " ".join(form.errors["title"])
    assert WishForm(data={"title": "愿" * limit, "kind": "item"}).is_valid()


def test_a_quoted_text_says_where_it_was_cut():
    from gonghui.core.limits import shortened_text

    assert shortened_text("张三", 100) == "张三"
    assert shortened_text("x" * 101, 100) == "x" * 99 + "…" and len(shortened_text("x" * 101, 100)) == 100
    assert shortened_text(12345, None) == "12345"
