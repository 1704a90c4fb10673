import json
from django.test import Client
from django_scopes import scopes_disabled
from gonghui.accounts.services import create_api_token

def test_probe(tree):
    with scopes_disabled():
        _t, key = create_api_token(user=tree.user("b_admin"), name="x")
    h = {"Authorization": f"Bearer {key}"}
    c = Client()
    for url in ["/api/v1/", "/api/v1/docs", "/api/v1/openapi.json"]:
        r = c.get(url); print(url, r.status_code, r.get("Location"))
    r = c.get("/api/v1/docs"); print(r.content.decode()[:3000])
    print(c.get("/api/v1/nodes").content)
    print(c.get("/api/v1/nodes", headers={"Authorization": "Bearer nope"}).content)
    print(c.get("/api/v1/nodes", headers=h).json())
    for payload in [{"node_id": tree.c.pk, "name": "x公司", "credit_code": "91330521MA2AAAAA0X", "sector": "manufacturing", "employee_count": 3},
                    {"node_id": tree.c.pk, "name": "x公司", "credit_code": "91330521MA2AAAAA0X", "sector": "manufacturing", "employee_count": -3},
                    {"node_id": tree.c.pk, "name": "x\x07公司", "credit_code": "91330521MA2AAAAA0X", "sector": "nope", "employee_count": "abc"},
                    {"node_id": tree.c.pk, "name": "x\x07公司", "credit_code": "91330521MA2AAAAA0X", "sector": "manufacturing", "employee_count": 3},
                    "not json"]:
        r = c.post("/api/v1/employers", data=payload if isinstance(payload, str) else json.dumps(payload), content_type="application/json", headers=h)
        print(r.status_code, r.content.decode("unicode_escape"))
    r = c.post("/api/v1/nodes", data={"parent_id": tree.c.pk, "name": "新\n工会", "kind": "bogus"}, content_type="application/json", headers=h)
    print(r.status_code, r.content.decode("unicode_escape"))
    r = c.post("/api/v1/nodes", data={"parent_id": tree.c.pk, "name": "新\n工会", "kind": "enterprise"}, content_type="application/json", headers=h)
    print(r.status_code, r.content.decode("unicode_escape"))
    r = c.get("/api/v1/nodes?page=abc", headers=h); print(r.status_code, r.content.decode("unicode_escape"))
    r = c.get("/api/v1/nodes?page=99", headers=h); print(r.status_code, r.content.decode("unicode_escape"))
    r = c.get("/api/v1/nodes/abc", headers=h); print(r.status_code, r.content.decode("unicode_escape"))
    r = c.get("/api/v1/nodes/99999999999999999999999", headers=h); print(r.status_code, r.content.decode("unicode_escape")[:300])
