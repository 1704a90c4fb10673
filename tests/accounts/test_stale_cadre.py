"""Lost updates on cadre accounts (issue 17, finding 1): an edit prepared before another admin's
change is refused with nothing changed; a sign-in meanwhile (last_login) is no conflict."""

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts import services
from gonghui.accounts.models import User
from gonghui.core import editing

pytestmark = pytest.mark.django_db


def test_a_stale_cadre_edit_is_refused(tree):
    cadre = User.objects.get(pk=tree.user("b_clerk").pk)
    version = editing.version_of(cadre, services.CADRE_VERSION_FIELDS)
    User.objects.filter(pk=cadre.pk).update(last_login=timezone.now())  # signing in: no conflict
    with scopes_disabled():
        services.update_cadre(user=cadre, actor=tree.user("a_admin"), display_name="王文书", phone="13900001111",
                              expected_version=version)
        with pytest.raises(editing.StaleEdit):
            services.update_cadre(user=cadre, actor=tree.user("a_admin"), display_name="李文书",
                                  phone="13900002222", expected_version=version)
    row = User.objects.get(pk=cadre.pk)
    assert (row.display_name, row.phone) == ("王文书", "13900001111")
