from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "gonghui.activities"
    verbose_name = _("Activities")

    def ready(self):
        # Positions shows the activities held at a position (a bookroom's reading activities)
        # through this hook, since positions may not import activities.
        from gonghui.positions.hooks import register_venue_activities

        from .models import Activity, State

        def held_at(position, public):
            qs = Activity.objects.filter(venue=position)
            return qs.filter(state__in=(State.PUBLISHED, State.CLOSED)) if public else qs

        register_venue_activities(held_at)
