"""The station finder (no sign-in), station pages and visit check-in by QR code (positions).

The finder is server-rendered: the list with distance, walking direction and "open until …" works
without JavaScript and without map tiles; the script only asks the phone for its location (then
reloads with it) and draws the markers with Leaflet when it loads. The URL patterns below are
joined into the worker namespace by worker/urls.py."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.context import client_ip
from gonghui.core.errors import DomainError
from gonghui.core.limits import PHONE_TEXT, limit_of, search_too_long
from gonghui.core.ratelimit import RateLimited
from gonghui.core.scoping import scopes_disabled
from gonghui.core.uploads import file_response
from gonghui.members.services import joining
from gonghui.orgs.models import Node
from gonghui.positions import amenities as vocabulary
from gonghui.positions import coordinates, hours
from gonghui.positions import selectors as positions
from gonghui.positions.limits import AREA_SEARCH, BOOK_SEARCH
from gonghui.positions.models import PositionKind
from gonghui.positions.services import visits

FINDER_LIMIT = 10


class FinderForm(forms.Form):
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    area = forms.CharField(required=False, max_length=limit_of(Node, "code"))  # a union's code, looked up
    place = forms.CharField(required=False, max_length=AREA_SEARCH)
    amenity = forms.MultipleChoiceField(required=False, choices=vocabulary.AMENITIES,
                                        widget=forms.CheckboxSelectMultiple)
    kind = forms.ChoiceField(required=False, choices=[("", gettext_lazy("All kinds")), *PositionKind.choices])
    all = forms.BooleanField(required=False)


def finder(request):
    form = FinderForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    areas = positions.finder_areas() if not _located(data) else []
    here, area, suggestions, problem = _here(data, areas)
    hits = []
    if here is not None:
        with scopes_disabled():  # stations in service are public places
            hits = positions.nearest(lat=here[0], lng=here[1], amenities=data.get("amenity") or [],
                                     kind=data.get("kind") or "", open_now=not data.get("all"), limit=FINDER_LIMIT)
    markers = [{"at": coordinates.for_tiles(float(h.position.lat), float(h.position.lng)), "name": h.position.name,
                "state": h.state.label, "open": h.state.is_open, "url": reverse("worker:station", args=[h.pk])}
               for h in hits]
    keep = request.GET.copy()  # the search as it is, for the links of the suggested places
    for name in ("area", "place", "lat", "lng"):
        keep.pop(name, None)
    return render(request, "worker/stations/finder.html", {
        "form": form, "hits": hits, "here": here, "area": area,
        "here_on_map": coordinates.for_tiles(*here) if here else None, "problem": problem, "markers": markers,
        "areas": areas, "suggestions": suggestions, "keep": keep.urlencode(),
        "amenities": vocabulary.AMENITIES, "chosen": set(data.get("amenity") or []),
        "more_chosen": bool(set(data.get("amenity") or []) - set(vocabulary.CODES[:6])),
        "open_now": not data.get("all"), "tile_url": settings.GONGHUI_MAP_TILE_URL,
        "tile_attribution": settings.GONGHUI_MAP_TILE_ATTRIBUTION,
        "query": request.GET.urlencode(),
    })


def _located(data) -> bool:
    """The phone's location is in the form and no place was chosen instead."""
    return data.get("lat") is not None and data.get("lng") is not None and not data.get("area") \
        and not data.get("place")


def _here(data, areas):
    """(lat, lng) WGS-84 to search from, the place chosen (if any), the places matching a typed name
    when it names several, and a message when nothing works. A typed name wins over the list, the
    list over a stale location in the form."""
    if data.get("place"):
        matches = positions.match_areas(areas, data["place"])
        if len(matches) == 1 or (matches and matches[0].label.split(" · ")[-1] == data["place"].strip()):
            return (matches[0].lat, matches[0].lng), matches[0], [], ""
        if not matches:
            return None, None, [], _("No township or community called “%(place)s” has stations; choose one "
                                     "from the list.") % {"place": data["place"]}
        return None, None, matches, ""
    if data.get("area"):
        found = positions.area_point(data["area"])
        if found is None:
            return None, None, [], _("Choose a place from the list.")
        return (found[0], found[1]), found[2], [], ""
    lat, lng = data.get("lat"), data.get("lng")
    if lat is not None and lng is not None:
        try:
            point = coordinates.clean_point(lat, lng)
        except ValidationError as exc:
            return None, None, [], exc.messages[0]
        return (float(point[0]), float(point[1])), None, [], ""
    return None, None, [], ""


def station(request, pk):
    position = positions.public_position(pk)
    here = None
    try:
        here = coordinates.clean_point(request.GET["lat"], request.GET["lng"])
    except (KeyError, ValidationError):
        pass
    distance = direction = ""
    if here is not None:
        lat, lng = float(here[0]), float(here[1])
        distance = coordinates.format_distance(coordinates.haversine_m(lat, lng, float(position.lat),
                                                                      float(position.lng)))
        direction = coordinates.compass(coordinates.bearing_deg(lat, lng, float(position.lat), float(position.lng)))
    return render(request, "worker/stations/station.html", {
        "position": position, "week": hours.week_text(position.hours),
        "state": hours.open_state(week=position.hours, open_24h=position.open_24h,
                                  closed_on_holidays=position.closed_on_holidays),
        "amenity_labels": vocabulary.labels_of(position.amenities), "photos": list(position.photos.all()),
        "distance": distance, "direction": direction, "keeps_books": positions.keeps_books(position),
    })


def station_books(request, pk):
    """A bookroom's catalogue for workers (no sign-in): titles, copies on the shelf, e-book links, and
    the reading activities held there."""
    position = positions.public_bookroom(pk)
    query, error = (request.GET.get("q") or "").strip(), ""
    if len(query) > BOOK_SEARCH:  # refused, not cut: a cut term finds what the worker did not ask for
        query, error = "", search_too_long(BOOK_SEARCH, len(query))
    books = positions.public_catalogue(position, query=query)
    total = (positions.public_catalogue_size(position, query=query)
             if len(books) >= positions.PUBLIC_CATALOGUE_ROWS else len(books))
    return render(request, "worker/stations/books.html", {
        "position": position, "query": query, "books": books, "total": total, "query_error": error,
        "activities": positions.venue_activities(position, public=True, limit=10),
    })


def station_photo(request, pk):
    photo = positions.public_photo(pk)
    if request.GET.get("size") == "thumb":
        return file_response(photo.thumb, content_type="image/jpeg")
    return file_response(photo.file, content_type=photo.content_type)


class VisitForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=PHONE_TEXT, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
    consent = forms.BooleanField(
        required=False, label=gettext_lazy("I agree that the union keeps my phone number to count this visit and to "
                                           "invite me to union services and to join."))
    # Signed-in workers only (their phone is verified): the consent to be invited, recorded.
    invite = forms.BooleanField(required=False, label=joining.PROSPECT_CONSENT_TEXT)


def station_visit(request, token):
    """The page a station's QR code opens: check in (counted once an hour), then see the station."""
    try:
        position = visits.resolve_visit_token(token=token)
    except DomainError as exc:
        return render(request, "worker/stations/visit_invalid.html", {"reason": exc.message}, status=404)
    worker = getattr(request, "worker", None)
    form = VisitForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST":
        try:
            if worker is not None:
                result = visits.visit_by_worker(position=position, worker=worker,
                                                consent=form.is_valid() and form.cleaned_data["invite"])
            elif form.is_valid():
                result = visits.visit_by_phone(position=position, phone=form.cleaned_data["phone"],
                                               consent=form.cleaned_data["consent"], ip=client_ip(request.META))
        except ValidationError as exc:
            form.add_error("phone", exc.messages)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status if isinstance(exc, RateLimited) else 200
    return render(request, "worker/stations/visit.html", {
        "position": position, "form": form, "worker": worker, "result": result, "token": token,
        "amenity_labels": vocabulary.labels_of(position.amenities),
        "state": hours.open_state(week=position.hours, open_24h=position.open_24h,
                                  closed_on_holidays=position.closed_on_holidays),
    }, status=status)


urlpatterns = [
    path("stations/", finder, name="stations"),
    path("stations/<int:pk>/", station, name="station"),
    path("stations/<int:pk>/books/", station_books, name="station_books"),
    path("stations/photos/<int:pk>/", station_photo, name="station_photo"),
    path("stations/visit/<str:token>/", station_visit, name="station_visit"),
]
