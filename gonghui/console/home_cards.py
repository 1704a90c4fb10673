"""Cards on the console home: one per module that has something waiting for the cadre.

Domain apps may not import the console (import-linter layers), so they cannot register
themselves with it; the console names their card providers here instead, as it names the demo
loaders (``DEMO_MODULES``) and the navigation (``MAIN_NAV``). A provider lives in its app, is
called with the request inside the cadre's scope, and returns ``None`` (no card: the role has
nothing to do with it) or a dict with at least ``template`` (the card's template, included with
the dict as ``card``). A provider keeps to a fixed, small number of queries: the home page is the
page every cadre opens first.
"""

from django.utils.module_loading import import_string

HOME_CARDS = (
    "gonghui.rights.home.overdue_card",
    "gonghui.console.calendar_card.calendar_card",
)


def home_cards(request) -> list[dict]:
    cards = []
    for dotted in HOME_CARDS:
        card = import_string(dotted)(request)
        if card is not None:
            cards.append(card)
    return cards
