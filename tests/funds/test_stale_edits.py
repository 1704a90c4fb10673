"""Lost updates on project types (issue 17, finding 1): two county admins open the same type, the
first saves, the second's save is refused with nothing changed (the page carries the version)."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from gonghui.core import editing
from gonghui.funds.models import ProjectKind
from gonghui.funds.services import kinds
from tests.funds.kit import kind, setup
from tests.stale_kit import form_data

pytestmark = pytest.mark.django_db


def _fields(home, **over):
    return {"name": home.name, "position_kind": home.position_kind, "upgrade": home.upgrade,
            "standard": "\n".join(home.standard), "max_subsidy": str(home.max_subsidy), **over}


def test_two_admins_edit_a_type_the_second_is_refused(tree):
    setup(tree)
    with scopes_disabled():
        home = kind()
        version = editing.version_of(ProjectKind.objects.get(pk=home.pk))
        kinds.save_kind(actor=tree.user("a_admin"), kind=home, expected_version=version,
                        **_fields(home, max_subsidy="120000"))
        with pytest.raises(editing.StaleEdit):
            kinds.save_kind(actor=tree.user("a_admin"), kind=home, expected_version=version,
                            **_fields(home, max_subsidy="90000", name="改名"))
        row = ProjectKind.objects.get(pk=home.pk)
    assert row.max_subsidy == Decimal("120000.00") and row.name == home.name


def test_the_type_page_refuses_a_form_opened_before_another_save(client, tree):
    setup(tree)
    with scopes_disabled():
        home = kind()
    client.force_login(tree.user("a_admin"))
    url = f"/funds/project-types/{home.pk}/"
    data = form_data(client.get(url).content.decode())
    assert data["version"] == editing.version_of(home)
    with scopes_disabled():
        kinds.save_kind(actor=tree.user("a_admin"), kind=home, **_fields(home, max_subsidy="120000"))
    client.post(url, {**data, "max_subsidy": "70000"})
    with scopes_disabled():
        assert ProjectKind.objects.get(pk=home.pk).max_subsidy == Decimal("120000.00")
    fresh = form_data(client.get(url).content.decode())
    assert client.post(url, {**fresh, "max_subsidy": "70000"}).status_code == 302
    with scopes_disabled():
        assert ProjectKind.objects.get(pk=home.pk).max_subsidy == Decimal("70000.00")
