"""``{% member_services member %}``: one person, one page. The member's courses and activities,
claims, aid applications, micro-wishes, book loans and volunteer hours, each linked to its own page.

The roster (members) may not import the modules above it (import-linter layers), so its member
page shows them through this tag of the console, which sits above every domain app. Every query
runs in the cadre's scope (records of unions outside it do not show), and each section shows only
to a viewer whose roles may open the records it links to. Records are found by the membership
(bookings, aid, loans, volunteering) or by the member's verified phone (claims, wishes, bookings
made from the phone before the membership was matched)."""

from django import template
from django.db.models import Q, Sum

from gonghui.accounts.permissions import roles_allowed, roles_of
from gonghui.activities.models import Booking, ServiceHours, Volunteer
from gonghui.aid.models import Application, Wish
from gonghui.positions.models import Loan
from gonghui.rights.models import Case

register = template.Library()

LIMIT = 20


def _may(user, roles) -> bool:
    return bool(user.is_superuser or roles_of(user) & set(roles))


@register.inclusion_tag("console/_member_services.html", takes_context=True)
def member_services(context, member):
    user = context["request"].user
    phone_hash = member.phone_hash or None
    sections = {}
    by_phone = Q(worker__phone_hash=phone_hash) if phone_hash else Q(pk__in=[])
    sections["bookings"] = list(Booking.objects.filter(Q(member=member) | by_phone)
                                .select_related("activity").order_by("-created_at")[:LIMIT])
    if _may(user, roles_allowed("rights.case.read")):
        sections["cases"] = list(Case.objects.filter(claimant_phone_hash=phone_hash).order_by("-submitted_at")[:LIMIT]
                                 ) if phone_hash else []
    if _may(user, roles_allowed("aid.application.view")):
        sections["applications"] = list(Application.objects.filter(member=member).select_related("programme")
                                        .order_by("-submitted_at")[:LIMIT])
    if _may(user, roles_allowed("aid.wish.view")) and phone_hash:
        sections["wishes"] = list(Wish.objects.filter(worker__phone_hash=phone_hash).order_by("-posted_at")[:LIMIT])
    sections["loans"] = list(Loan.objects.filter(member=member).select_related("copy__book__position")
                             .order_by("-lent_on")[:LIMIT])
    teams = list(Volunteer.objects.filter(member=member).select_related("team"))
    hours = dict(ServiceHours.objects.filter(volunteer__in=teams).values("volunteer_id")
                 .annotate(total=Sum("hours")).values_list("volunteer_id", "total"))
    sections["volunteering"] = [(v, hours.get(v.pk, 0)) for v in teams]
    return {"member": member, **sections}
