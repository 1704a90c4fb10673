"""The OpenAPI document and the docs page: served to anyone, and nothing loaded from the internet."""

import enum
import re
import typing
from collections import defaultdict

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation
from pydantic import BaseModel

from gonghui.api.urls import api


@pytest.fixture
def schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_schema_is_openapi_3_and_lists_every_operation(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "gonghui API"
    documented = {(path, method.upper()) for path, ops in schema["paths"].items() for method in ops}
    served = set()
    for prefix, router in api._routers:
        mount = "/" + prefix.strip("/") if prefix.strip("/") else ""  # the workers' router is under /w/
        for route, path_view in router.path_operations.items():
            for operation in path_view.operations:
                served |= {("/api/v1" + mount + route, method) for method in operation.methods}
    assert served and served <= documented


def test_the_schema_declares_the_bearer_token_and_the_session(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in [{k: v for k, v in s.items() if k in ("type", "scheme")}
                                                    for s in schemes.values()]
    operation = schema["paths"]["/api/v1/nodes"]["get"]
    assert {name for requirement in operation["security"] for name in requirement} == set(schemes) - {"WorkerSession"}
    # The workers' endpoints take the phone sign-in session only.
    signup = schema["paths"]["/api/v1/w/courses/{activity_id}/sign-up"]["post"]
    assert {name for requirement in signup["security"] for name in requirement} == {"WorkerSession"}


def test_the_schema_shows_the_rules_of_the_input(schema):
    employer_in = schema["components"]["schemas"]["EmployerIn"]
    assert employer_in["properties"]["employee_count"]["minimum"] == 0
    assert employer_in.get("additionalProperties") is False
    kinds = schema["components"]["schemas"]["NodeKind"]["enum"]
    assert "township_union" in kinds and "enterprise" in kinds


def test_the_docs_page_loads_with_no_external_url(db):
    with translation.override("zh-hans"):
        response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.findall(r"(?:src|href)=[\"']?(?:https?:)?//", html), "the docs page loads something from outside"
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io
    for asset in re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", html):
        assert finders.find(asset), f"static asset {asset} is not shipped"
    assert re.findall(r"(?:src|href)=\"/static/", html)


def test_the_api_root_is_not_a_page_of_its_own(db):
    assert Client().get("/api/v1/").status_code == 404


def _named_classes(annotation, seen: set, found: dict) -> None:
    """Every model and enum of ours that the annotation reaches: each becomes a component named
    by its class name."""
    if isinstance(annotation, type) and annotation not in seen:
        seen.add(annotation)
        if issubclass(annotation, enum.Enum | BaseModel) and annotation.__module__.startswith("gonghui."):
            found[annotation.__name__].add(f"{annotation.__module__}.{annotation.__qualname__}")
        if issubclass(annotation, BaseModel):
            for field in annotation.model_fields.values():
                _named_classes(field.annotation, seen, found)
        return
    for argument in typing.get_args(annotation):
        _named_classes(argument, seen, found)


def test_no_two_schemas_share_a_component_name():
    """Two classes of one name (ApplicationOut of aid, members and registration) would be one
    component of the published document, and two of the three operations documented wrongly."""
    seen, found = set(), defaultdict(set)
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *(operation.response_models or {}).values()]:
                    _named_classes(model, seen, found)
    assert len(found) > 100
    assert {name: sorted(classes) for name, classes in found.items() if len(classes) > 1} == {}

