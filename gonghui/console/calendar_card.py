"""The holiday-calendar card of the console home (listed in ``console.home_cards.HOME_CARDS``).

Deadlines count working days from the installed ``chinesecalendar``. For a year it does not know
yet, working days fall back to Monday–Friday (``core.workdays``): the card says so to every cadre
while that matters — for the current year, and from December on for the next one (the State
Council publishes the schedule each November; the package follows within weeks).
"""

from django.utils import timezone

from gonghui.core.workdays import schedule_known


def unknown_years(today) -> list[int]:
    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    return [year for year in years if not schedule_known(year)]


def calendar_card(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    years = unknown_years(timezone.localdate())
    if not years:
        return None
    return {"template": "console/_calendar_card.html", "years": "、".join(str(y) for y in years)}
