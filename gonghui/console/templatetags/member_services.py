"""``{% member_services member %}``: one person, one page. The member's courses and activities,
claims, aid applications, micro-wishes, book loans and volunteer hours, each linked to its own page.

The roster (members) may not import the modules above it (import-linter layers), so its member
page shows them through this tag of the console, which sits above every domain app. Every query
runs in the cadre's scope (records of unions outside it do not show), and each section shows only
to a viewer whose roles may open the records it links to. Records are found by the membership
(bookings, aid, loans, volunteering) or by the member's verified phone (claims, wishes, bookings
made from the phone before the membership was matched)."""

from django import template

from gonghui.accounts.permissions import roles_allowed, roles_of
from gonghui.activities import selectors as activities
from gonghui.aid import selectors as aid
from gonghui.positions import selectors as positions
from gonghui.rights import selectors as rights

register = template.Library()

LIMIT = 20


def _may(user, roles) -> bool:
    return bool(user.is_superuser or roles_of(user) & set(roles))


@register.inclusion_tag("console/_member_services.html", takes_context=True)
def member_services(context, member):
    user = context["request"].user
    phone_hash = member.phone_hash or None
    sections = {"bookings": activities.member_bookings(member, limit=LIMIT)}
    if _may(user, roles_allowed("rights.case.read")):
        sections["cases"] = rights.cases_of_phone(phone_hash, limit=LIMIT) if phone_hash else []
    if _may(user, roles_allowed("aid.application.view")):
        sections["applications"] = aid.member_applications(member, limit=LIMIT)
    if _may(user, roles_allowed("aid.wish.view")) and phone_hash:
        sections["wishes"] = aid.wishes_of_phone(phone_hash, limit=LIMIT)
    sections["loans"] = positions.member_loans(member, limit=LIMIT)
    sections["volunteering"] = activities.member_volunteering(member)
    return {"member": member, **sections}
