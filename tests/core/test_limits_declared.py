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
