"""Project types are data: county admins add and edit them (name, what they build, the acceptance
standard such as the four haves, the subsidy cap); what a type builds is fixed once projects use it."""

from decimal import Decimal

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.funds.models import ProjectKind, ProjectState
from gonghui.funds.services import kinds, projects
from tests.funds.kit import advance, kind, project_at, setup
from tests.test_scope_proof import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def funds(tree):
    return setup(tree)


def _county_client(tree) -> Client:
    admin = tree.user("a_admin")
    client = Client()
    client.force_login(admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=admin, name="t", confirmed=True).persistent_id
    session.save()
    return client


def test_a_county_admin_adds_a_type_and_projects_use_its_standard_and_cap(tree, funds):
    kind()  # the shipped types
    client = _county_client(tree)
    assert "职工之家建设" in client.get("/funds/project-types/").content.decode()
    response = client.post("/funds/project-types/", {
        "name": "户外劳动者驿站（新建）", "position_kind": "rest_station", "standard": "有休息座椅\n有饮水设备\n有应急药箱\n",
        "max_subsidy": "25000"})
    assert response.status_code == 302
    with scopes_disabled():
        new = ProjectKind.objects.get(name="户外劳动者驿站（新建）")
        assert new.standard == ["有休息座椅", "有饮水设备", "有应急药箱"] and new.max_subsidy == Decimal("25000.00")
        assert new.code.startswith("rest_station_new") and not new.upgrade
        assert AuditEntry.objects.filter(action="funds.project_kind.created", object_id=str(new.pk)).exists()
        with pytest.raises(DomainError) as over:  # the cap holds for applications
            projects.apply_for_project(node=tree.c, actor=tree.user("b_admin"), kind=new, title="物流园驿站", year=2026,
                           category=funds.construction, address="物流园1号", description="新建驿站",
                           budget_total="60000", subsidy_requested="30000", reviewer_node=tree.b)
        assert over.value.code == "subsidy_over_cap"


def test_editing_a_type_in_use_keeps_what_it_builds(tree, funds):
    project = advance(tree, project_at(tree, tree.c), ProjectState.COMPLETED)
    home = kind()
    client = _county_client(tree)
    response = client.post(f"/funds/project-types/{home.pk}/", {
        "name": home.name, "position_kind": "workers_home", "standard": "有固定场所\n有必要设施\n有经常性活动\n有规章制度\n有职工书屋",
        "max_subsidy": "120000"})
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.standard[-1] == "有职工书屋" and home.max_subsidy == Decimal("120000.00")
    with scopes_disabled():
        # the acceptance checks the standard as it is now
        with pytest.raises(DomainError):
            projects.accept_project(project=project, actor=tree.user("b_admin"), checklist={"有无线网络": True})
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            kinds.save_kind(actor=tree.user("a_admin"), kind=home, name=home.name, position_kind="bookroom",
                            upgrade=False, standard=home.standard, max_subsidy="100000")
        assert refused.value.code == "kind_in_use"
        assert snapshot() == before


@pytest.mark.parametrize("fields, code", [
    ({"name": ""}, "required"),
    ({"position_kind": "castle"}, "position_kind"),
    ({"standard": "\n \n"}, "standard_invalid"),
    ({"standard": "\n".join(f"第{i}项" for i in range(21))}, "standard_invalid"),
    ({"max_subsidy": "-100"}, "amount_not_positive"),
    ({"max_subsidy": "100.001"}, "amount_precision"),
    ({"max_subsidy": "abc"}, "amount_invalid"),
    ({"name": "职工之家建设"}, "name_taken"),
])
def test_bad_type_input_is_refused_and_changes_nothing(tree, funds, fields, code):
    kind()
    good = {"name": "职工书屋（社区）", "position_kind": "bookroom", "upgrade": False, "standard": "藏书1000册以上",
            "max_subsidy": "8000"}
    with scopes_disabled():
        before = snapshot()
        with pytest.raises(DomainError) as refused:
            kinds.save_kind(actor=tree.user("a_admin"), **{**good, **fields})
        assert refused.value.code == code and refused.value.message
        assert snapshot() == before


def test_only_admins_of_a_county_or_higher_edit_types(tree, funds):
    kind()
    with scopes_disabled(), pytest.raises(NotPermitted):
        kinds.save_kind(actor=tree.user("b_admin"), name="乡镇自定类型", position_kind="bookroom", upgrade=False,
                        standard="一项", max_subsidy="100")
    client = Client()
    client.force_login(tree.user("b_admin"))
    count = ProjectKind.objects.count()
    response = client.post("/funds/project-types/", {"name": "乡镇自定类型", "position_kind": "bookroom",
                                                     "standard": "一项", "max_subsidy": "100"})
    assert response.status_code == 403 and ProjectKind.objects.count() == count
    page = client.get("/funds/project-types/").content.decode()
    assert "职工之家建设" in page and 'name="max_subsidy"' not in page
