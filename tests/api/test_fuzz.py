"""The whole API under schemathesis: no request it can make gets a 5xx or an undocumented body.

Run on its own (deselected from the ordinary suite by ``-m "not fuzz"`` in pyproject.toml)::

    python3 -m pytest tests/api/test_fuzz.py -m fuzz -q -p no:cacheprovider

Every operation of /api/v1/openapi.json is called in-process against the WSGI application, with
examples generated from its documented parameters and bodies (valid and invalid ones), on the
test county of tests.factories: as the county administrator with an API token, and as a worker
signed in by phone for the workers' endpoints (/api/v1/w/…). Each response must not be a server error and, where
its status is documented, must match the documented schema. The run is bounded and repeatable:
a fixed number of examples per operation (``GONGHUI_FUZZ_EXAMPLES``, default 5), derandomized,
and no example database, so the same commit always sends the same requests.
"""

import json
import os

import pytest
import schemathesis
from django.contrib.sessions.backends.db import SessionStore
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, Phase, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.accounts.models import Worker
from gonghui.accounts.services import create_api_token
from gonghui.api.urls import api
from gonghui.core.crypto import blind_index
from tests.factories import make_employer, make_tree

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("GONGHUI_FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def fuzz_county(django_db_setup, django_db_blocker):
    """The test county, the county admin's API token and a worker's phone session, for the whole module
    (rolled back at its end). The requests run in this thread on the same connection, so Django
    must not close it after each one (its test client does the same)."""
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            with scopes_disabled():
                tree = make_tree()
                make_employer(tree.b)
                _token, key = create_api_token(user=tree.user("a_admin"), name="fuzz", second_factor=True)
                worker = Worker.objects.create(phone="13800138000", phone_hash=blind_index("13800138000", purpose="phone"))
                session = SessionStore()
                session[WORKER_SESSION_KEY] = worker.pk
                session.create()
            csrf = _get_new_csrf_string()
            yield {
                "Authorization": f"Bearer {key}",
                "Cookie": f"sessionid={session.session_key}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
            }
            transaction.set_rollback(True)
    finally:
        signals.request_finished.connect(close_old_connections)


def _published_schema():
    """The document /api/v1/openapi.json serves (built without a request: no database needed at
    collection), bound to the WSGI application so that every case is called in-process."""
    document = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = _published_schema()


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_request_breaks_the_api(case, fuzz_county, db):
    case.call_and_validate(headers=fuzz_county, checks=CHECKS)


def test_the_fuzzer_is_signed_in_as_the_admin_and_the_worker(fuzz_county, db):
    """Otherwise every case would stop at the 401 and the run would prove nothing."""
    client = Client(enforce_csrf_checks=True)
    headers = {key: value for key, value in fuzz_county.items() if key != "Cookie"}
    for cookie in fuzz_county["Cookie"].split("; "):
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    assert client.get("/api/v1/nodes", headers=headers).status_code == 200
    assert client.get("/api/v1/w/bookings", headers=headers).status_code == 200
    response = client.post("/api/v1/w/courses/999999/sign-up", {}, content_type="application/json", headers=headers)
    assert response.status_code in (404, 422), response.content  # past authentication and CSRF
