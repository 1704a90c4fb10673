"""Bad input to the API: a 4xx with a clear message in the user's language, and nothing changed.

Chinese is the default (no Accept-Language); every message is checked to contain Chinese text, and
for the common faults the exact wording.
"""

import re

import pytest
from django_scopes import scopes_disabled

from gonghui.api.urls import api
from gonghui.core.schemas import InputSchema
from tests.factories import credit_code, make_employer, make_user

from .helpers import api_as, snapshot

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _employer(tree, **overrides):
    data = {"node_id": tree.c.pk, "name": "青山新材料有限公司", "credit_code": credit_code(), "sector": "manufacturing",
            "employee_count": 80}
    data.update(overrides)
    return data


def _node(tree, **overrides):
    data = {"parent_id": tree.c.pk, "name": "第一车间分会", "kind": "branch"}
    data.update(overrides)
    return data


def _refused(response, field, *, status=422, contains=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == "invalid" and CHINESE.search(body["detail"])
    messages = body["errors"][field]
    assert messages and all(CHINESE.search(m) for m in messages), messages
    if contains:
        assert any(contains in m for m in messages), messages
    return body


def _bad_code() -> str:
    good = credit_code()
    return good[:-1] + ("0" if good[-1] != "0" else "1")


EMPLOYER_CASES = [
    ("credit_code", lambda: _bad_code(), "校验位"),
    ("credit_code", lambda: "91330521MA2", None),
    ("credit_code", lambda: "", None),
    ("employee_count", lambda: -1, "大于或等于"),
    ("employee_count", lambda: "很多", "整数"),
    ("employee_count", lambda: 1.5, "整数"),
    ("sector", lambda: "mining_on_mars", "mining_on_mars"),
    ("name", lambda: "青山\x07机械有限公司", "控制字符"),
    ("name", lambda: "青山\n机械有限公司", "控制字符"),
    ("name", lambda: "青山\u200b机械有限公司", None),
    ("name", lambda: "<script>alert(1)</script>", None),
    ("name", lambda: "   ", None),
    ("name", lambda: "长" * 101, None),
    ("name", lambda: None, "不能为空"),
]


@pytest.mark.parametrize("field, value, contains", EMPLOYER_CASES)
def test_bad_employer_is_refused_in_chinese_and_changes_nothing(tree, field, value, contains):
    client = api_as(tree, "b_admin")
    before = snapshot()
    response = client.post("/employers", _employer(tree, **{field: value()}))
    _refused(response, field, contains=contains)
    assert snapshot() == before


NODE_CASES = [
    ("kind", "union_of_everything", "union_of_everything"),
    ("kind", None, "不能为空"),
    ("name", "车间\x00分会", None),
    ("name", "车间\t分会", "控制字符"),
    ("member_count", -5, "大于或等于"),
    ("worker_count", "一百", "整数"),
    ("established_on", "2024-02-30", "日期"),
    ("credit_code", "81330521MA2AAAAA0X", None),
    ("parent_id", "上级", "整数"),
]


@pytest.mark.parametrize("field, value, contains", NODE_CASES)
def test_bad_node_is_refused_in_chinese_and_changes_nothing(tree, field, value, contains):
    before = snapshot()
    response = api_as(tree, "b_admin").post("/nodes", _node(tree, **{field: value}))
    _refused(response, field, contains=contains)
    assert snapshot() == before


def test_every_fault_of_a_request_is_reported_at_once(tree):
    response = api_as(tree, "b_admin").post("/employers", _employer(
        tree, name="青山\x07公司", credit_code=_bad_code(), sector="nope", employee_count=-3))
    body = _refused(response, "name")
    assert set(body["errors"]) == {"name", "credit_code", "sector", "employee_count"}


def test_a_missing_field_is_named(tree):
    data = _employer(tree)
    del data["credit_code"]
    _refused(api_as(tree, "b_admin").post("/employers", data), "credit_code", contains="必填")


def test_a_duplicate_credit_code_is_refused_by_field(tree):
    with scopes_disabled():
        existing = make_employer(tree.c)
    before = snapshot()
    response = api_as(tree, "b_admin").post("/employers", _employer(tree, credit_code=existing.credit_code))
    _refused(response, "credit_code", contains="已")
    assert snapshot() == before


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b'{"name": "a",}'])
def test_a_body_that_is_not_json_is_400_in_chinese(tree, body):
    before = snapshot()
    response = api_as(tree, "b_admin").raw("post", "/employers", body)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_json" and CHINESE.search(response.json()["detail"])
    assert snapshot() == before


@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null"])
def test_a_body_that_is_not_an_object_is_refused(tree, body):
    before = snapshot()
    response = api_as(tree, "b_admin").raw("post", "/employers", body)
    assert 400 <= response.status_code < 500
    assert CHINESE.search(response.json()["detail"])
    assert snapshot() == before


# --- PATCH ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["name", "credit_code", "sector", "employee_count"])
def test_patch_refuses_null_for_a_field_that_cannot_be_empty(tree, field):
    with scopes_disabled():
        employer = make_employer(tree.c)
    before = snapshot()
    response = api_as(tree, "b_admin").patch(f"/employers/{employer.pk}", {field: None})
    _refused(response, field, contains="不能为空")
    assert snapshot() == before


@pytest.mark.parametrize("field", ["name", "worker_count", "credit_code", "short_name"])
def test_patching_a_node_with_null_is_refused(tree, field):
    before = snapshot()
    _refused(api_as(tree, "b_admin").patch(f"/nodes/{tree.c.pk}", {field: None}), field, contains="不能为空")
    assert snapshot() == before


def test_patch_may_clear_what_may_be_empty(tree):
    with scopes_disabled():
        employer = make_employer(tree.c, union=tree.c)
    client = api_as(tree, "b_admin")
    response = client.patch(f"/employers/{employer.pk}", {"union_id": None})
    assert response.status_code == 200 and response.json()["unionized"] is False
    response = client.patch(f"/nodes/{tree.c.pk}", {"established_on": None, "credit_code": ""})
    assert response.status_code == 200


def test_patch_names_are_cleaned_like_the_console(tree):
    response = api_as(tree, "b_admin").patch(f"/nodes/{tree.c.pk}", {"name": "  青山精密机械　有限公司工会 "})
    assert response.status_code == 200 and response.json()["name"] == "青山精密机械 有限公司工会"


def test_follow_up_cadre_must_be_inside_the_scope(tree):
    with scopes_disabled():
        employer = make_employer(tree.c)
        make_user("outsider_without_roles")
    client = api_as(tree, "b_admin")
    before = snapshot()
    for user in ("d_admin", "a_admin", "outsider_without_roles"):
        assert client.patch(f"/employers/{employer.pk}", {"follow_up_by_id": tree.user(user).pk
                                                          if user in tree.users else 10**6}).status_code == 404
    assert snapshot() == before
    response = client.patch(f"/employers/{employer.pk}", {"follow_up_by_id": tree.user("b_clerk").pk})
    assert response.status_code == 200


# --- unknown fields ------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path, extra", [
    ("post", "/employers", {"status": "dissolved"}),
    ("post", "/employers", {"employees": 5}),
    ("post", "/nodes", {"path": "0001"}),
    ("patch", "/nodes/{c}", {"status": "dissolved"}),
    ("patch", "/employers/{e}", {"id": 1}),
    ("post", "/nodes/{c}/move", {"parent_id": 0, "keep_children": True}),
])
def test_unknown_fields_are_refused_by_name(tree, method, path, extra):
    with scopes_disabled():
        employer = make_employer(tree.c)
    payload = {"post": {"/employers": _employer(tree), "/nodes": _node(tree)}}.get(method, {}).get(path, {})
    if path.endswith("/move"):
        payload = {"parent_id": tree.b.pk}
    payload = {**payload, **extra}
    if "parent_id" in extra:
        payload["parent_id"] = tree.b.pk
    before = snapshot()
    client = api_as(tree, "b_admin")
    response = getattr(client, method)(path.format(c=tree.c.pk, e=employer.pk), payload)
    for field in set(extra) - {"parent_id"}:
        _refused(response, field)
    assert snapshot() == before


def _body_schemas():
    for _prefix, router in api._routers:
        for route, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for model in operation.models:
                    if getattr(model, "__ninja_param_source__", None) != "body":
                        continue
                    for field in model.model_fields.values():
                        schema = field.annotation
                        if isinstance(schema, type):
                            yield f"{'/'.join(operation.methods)} {route}", schema


BODY_SCHEMAS = sorted({(op, schema) for op, schema in _body_schemas()}, key=lambda p: (p[0], p[1].__name__))


@pytest.mark.parametrize("operation, schema", BODY_SCHEMAS, ids=[f"{o}:{s.__name__}" for o, s in BODY_SCHEMAS])
def test_every_input_schema_refuses_unknown_fields(operation, schema):
    """One rule for the whole API: input schemas derive from gonghui.core.schemas.InputSchema."""
    assert issubclass(schema, InputSchema), f"{operation} takes {schema.__name__}"
    assert schema.model_config.get("extra") == "forbid", f"{operation} takes {schema.__name__}"


def test_messages_follow_accept_language(tree):
    response = api_as(tree, "b_admin", language="en").post("/employers", _employer(tree, employee_count=-1))
    assert response.status_code == 422
    assert response.json()["errors"]["employee_count"] == ["Ensure this value is greater than or equal to 0."]
