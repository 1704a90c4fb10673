from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from gonghui.api.urls import api
from gonghui.core.health import health

urlpatterns = [
    # The API first: no other prefix here begins with "api/", and a rush's requests are mostly its own.
    path("api/v1/", api.urls),
    path("", include("gonghui.console.urls")),
    path("accounts/", include("gonghui.accounts.urls")),
    path("orgs/", include("gonghui.orgs.urls")),
    path("members/", include("gonghui.members.urls")),
    path("positions/", include("gonghui.positions.urls")),
    path("activities/", include("gonghui.activities.urls")),
    path("rights/", include("gonghui.rights.urls")),
    path("aid/", include("gonghui.aid.urls")),
    path("registration/", include("gonghui.registration.urls")),
    path("funds/", include("gonghui.funds.urls")),
    path("contests/", include("gonghui.contests.urls")),
    path("modelworkers/", include("gonghui.modelworkers.urls")),
    path("counselling/", include("gonghui.counselling.urls")),
    path("stats/", include("gonghui.stats.urls")),
    path("messaging/", include("gonghui.messaging.urls")),
    path("w/inbox/", include("gonghui.messaging.inbox_urls")),  # the worker's inbox (messaging)
    path("privacy/", include("gonghui.privacy.urls")),
    path("w/privacy/", include("gonghui.privacy.worker_urls")),
    path("w/counselling/", include("gonghui.counselling.worker_views")),  # the worker's counselling pages
    path("w/", include("gonghui.worker.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("health/", health, name="health"),  # public: parts ok or failing, no data (docs/operations.md)
]

# Error pages in the user's language and the site's layout; JSON under /api/ (gonghui.core.errorpages).
handler400 = "gonghui.core.errorpages.bad_request"
handler403 = "gonghui.core.errorpages.permission_denied"
handler404 = "gonghui.core.errorpages.page_not_found"
handler500 = "gonghui.core.errorpages.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
