"""Lost updates on the work-report template (issue 17, finding 1): two admins open the template
editor, the first saves, the second's save is refused with nothing changed; a save from an editor
opened before a reset (or before the first save) is refused too."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.core import editing
from gonghui.stats import selectors, services
from gonghui.stats.models import ReportTemplate
from tests.stale_kit import form_data

pytestmark = pytest.mark.django_db

TEXT = "# {node}{period}报告\n会员{members.total}人。"


def test_two_admins_the_second_save_is_refused(tree):
    with scopes_disabled():
        opened = selectors.template_version(tree.a)  # no template yet
        services.save_report_template(node=tree.a, text=TEXT, actor=tree.user("a_admin"), expected_version=opened)
        with pytest.raises(editing.StaleEdit):
            services.save_report_template(node=tree.a, text=TEXT + "\n二", actor=tree.user("a_admin"),
                                          expected_version=opened)
        version = selectors.template_version(tree.a)
        services.reset_report_template(node=tree.a, actor=tree.user("a_admin"))
        with pytest.raises(editing.StaleEdit):
            services.save_report_template(node=tree.a, text=TEXT + "\n三", actor=tree.user("a_admin"),
                                          expected_version=version)
        assert not ReportTemplate.objects.filter(node=tree.a).exists()


def test_the_editor_page_carries_the_version(client, tree):
    client.force_login(tree.user("a_admin"))
    url = f"{reverse('stats:template')}?node={tree.a.pk}"
    data = form_data(client.get(url).content.decode())
    assert data["version"] == "none"
    with scopes_disabled():
        services.save_report_template(node=tree.a, text=TEXT, actor=tree.user("a_admin"))
    response = client.post(url, {**data, "text": TEXT + "\n改"})
    assert response.status_code == 200 and str(editing.StaleEdit().message) in response.content.decode()
    with scopes_disabled():
        assert ReportTemplate.objects.get(node=tree.a).text == TEXT
