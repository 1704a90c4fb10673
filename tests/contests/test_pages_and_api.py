"""Console pages and API of contests: a county runs a contest from entry to certificate; a judge
sees only their sheets (by number), a township cadre only its own enterprises; bad input refused."""

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.contests.models import Award, Participation, Round, Score
from tests.contests.kit import contest, enterprise, judge, round_with_entries

pytestmark = pytest.mark.django_db


def bearer(client, user):
    with scopes_disabled():
        _token, key = create_api_token(user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_a_county_runs_a_contest_in_the_console(tree, client):
    client.force_login(tree.user("a_admin"))
    response = client.post("/contests/new/", {"name": "青山县焊工技能竞赛", "kind": "skills", "level": "county",
                                              "trade": "焊工", "year": "2026", "theory_weight": "30",
                                              "practical_weight": "70", "winner_title": "青山县技术能手"})
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    assert client.post(f"/contests/{pk}/items/", {"part": "theory", "name": "理论", "min_score": "0",
                                                  "max_score": "100"}).status_code == 302
    assert client.post(f"/contests/{pk}/items/", {"part": "practical", "name": "实操", "min_score": "0",
                                                  "max_score": "100"}).status_code == 302
    assert client.post(f"/contests/{pk}/rounds/", {"stage": "county", "held_on": "2026-05-20",
                                                   "advance_count": "0"}).status_code == 302
    page = client.get(f"/contests/{pk}/")
    assert page.status_code == 200 and "理论" in page.content.decode()
    with scopes_disabled():
        round_ = Round.objects.get(contest_id=pk)
        employer = enterprise(tree, name="青山焊接有限公司")
    assert client.post(f"/contests/rounds/{round_.pk}/enter/", {"employer": employer.pk}).status_code == 302
    response = client.post(f"/contests/rounds/{round_.pk}/enter/", {"employer": employer.pk}, follow=True)
    assert "already entered" in response.content.decode() or "已" in response.content.decode()
    with scopes_disabled():
        assert Participation.objects.count() == 1
        participation = Participation.objects.get()
    assert client.post(f"/contests/entries/{participation.pk}/workers/", {"name": "王强"}).status_code == 302
    j = judge("judge1")
    assert client.post(f"/contests/rounds/{round_.pk}/judges/", {"username": "judge1", "entries": ""}).status_code == 302
    assert client.post(f"/contests/rounds/{round_.pk}/start/").status_code == 302
    judge_client = client.__class__()
    judge_client.force_login(j)
    mine = judge_client.get("/contests/judging/").content.decode()
    assert "001" in mine and "王强" not in mine  # blind: the number, not the name
    with scopes_disabled():
        entry_id = participation.entries.get().pk
        items = {i.name: i.pk for i in round_.contest.items.all()}
    response = judge_client.post(f"/contests/judging/{entry_id}/", {f"item-{items['理论']}": "101",
                                                                    f"item-{items['实操']}": "80"}, follow=True)
    with scopes_disabled():
        assert not Score.objects.exists()
    judge_client.post(f"/contests/judging/{entry_id}/", {f"item-{items['理论']}": "90", f"item-{items['实操']}": "80",
                                                         "submit": "1"})
    assert client.post(f"/contests/rounds/{round_.pk}/award/", {"first": 1, "second": 0, "third": 0}).status_code == 302
    with scopes_disabled():
        award = Award.objects.get()
    assert award.total == 83
    pdf = client.get(f"/contests/awards/{award.pk}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "王强" in client.get(f"/contests/rounds/{round_.pk}/").content.decode()
    assert client.get("/modelworkers/").status_code == 200
    assert "王强" in client.get("/modelworkers/").content.decode()


def test_a_judge_cannot_open_a_sheet_not_assigned(tree, client):
    with scopes_disabled():
        c = contest(tree)
        _r, (e1,) = round_with_entries(tree, c, ["王强"])
    client.force_login(judge("judge1"))
    assert client.get(f"/contests/judging/{e1.pk}/").status_code == 404


def test_the_sibling_township_sees_neither_the_round_entries_nor_the_results(tree, client):
    with scopes_disabled():
        c = contest(tree)
        r, _ = round_with_entries(tree, c, ["王强"])
    client.force_login(tree.user("d_admin"))
    page = client.get(f"/contests/rounds/{r.pk}/").content.decode()
    assert "王强" not in page


def test_api_flow_and_refusals(tree, client):
    api = bearer(client, tree.user("a_admin"))
    response = api.post("/api/v1/contests", {"node": tree.a.pk, "name": "青山县电工技能竞赛", "trade": "电工",
                                             "level": "county", "year": 2026, "theory_weight": "40",
                                             "practical_weight": "60"}, content_type="application/json")
    assert response.status_code == 201, response.content
    cid = response.json()["id"]
    assert api.post(f"/api/v1/contests/{cid}/items", {"part": "theory", "name": "理论", "max_score": 100},
                    content_type="application/json").status_code == 201
    assert api.post(f"/api/v1/contests/{cid}/items", {"part": "practical", "name": "实操", "max_score": 100},
                    content_type="application/json").status_code == 201
    bad = api.post(f"/api/v1/contests/{cid}/items", {"part": "practical", "name": "浮点", "max_score": 99.5},
                   content_type="application/json")
    assert bad.status_code == 422
    rid = api.post(f"/api/v1/contests/{cid}/rounds", {"stage": "county", "held_on": "2026-05-20"},
                   content_type="application/json").json()["id"]
    with scopes_disabled():
        employer = enterprise(tree, name="青山电气有限公司")
    pid = api.post(f"/api/v1/contests/rounds/{rid}/enterprises", {"employer": employer.pk},
                   content_type="application/json").json()["id"]
    twice = api.post(f"/api/v1/contests/rounds/{rid}/enterprises", {"employer": employer.pk},
                     content_type="application/json")
    assert twice.status_code == 400 and twice.json()["code"] == "entered_twice"
    eid = api.post(f"/api/v1/contests/enterprises/{pid}/entries", {"name": "李明"},
                   content_type="application/json").json()["id"]
    j = judge("judge1")
    assert api.post(f"/api/v1/contests/rounds/{rid}/judges", {"judge": j.pk, "entries": [eid]},
                    content_type="application/json").status_code == 201
    assert api.post(f"/api/v1/contests/rounds/{rid}/start").status_code == 200
    items = {i["name"]: i["id"] for i in api.get(f"/api/v1/contests/{cid}").json()["items"]}
    judge_api = bearer(client.__class__(), j)
    assert [s["number"] for s in judge_api.get("/api/v1/contests/judging/sheets").json()["items"]] == [1]
    out = judge_api.post(f"/api/v1/contests/judging/{eid}", {"scores": {str(items["理论"]): "120"}},
                         content_type="application/json")
    assert out.status_code == 400 and out.json()["code"] == "out_of_range"
    ok = judge_api.post(f"/api/v1/contests/judging/{eid}",
                        {"scores": {str(items["理论"]): "80", str(items["实操"]): 90}, "submit": True},
                        content_type="application/json")
    assert ok.status_code == 200 and ok.json()["submitted"]
    locked = judge_api.post(f"/api/v1/contests/judging/{eid}", {"scores": {str(items["理论"]): "81"}},
                            content_type="application/json")
    assert locked.status_code == 400 and locked.json()["code"] == "submitted"
    results = api.get(f"/api/v1/contests/rounds/{rid}/results").json()
    assert results[0]["total"] == "86.00" and results[0]["rank"] == 1
    assert api.post(f"/api/v1/contests/rounds/{rid}/award", {"first": 1, "second": 0, "third": 0},
                    content_type="application/json").status_code == 201
    award_id = Award.objects.with_scopes_disabled().get().pk
    assert api.get(f"/api/v1/contests/awards/{award_id}/certificate").content.startswith(b"%PDF")
    other = bearer(client.__class__(), tree.user("d_admin"))
    assert other.get(f"/api/v1/contests/rounds/{rid}/results").status_code == 403
