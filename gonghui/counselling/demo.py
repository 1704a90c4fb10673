"""Demo data of counselling: the demo county's first counselling room (from the positions demo), a
contracted counsellor with weekly hours whose account is the demo's county_reviewer (so a demo login
shows the counsellor's pages), two sessions booked for next Monday and two hotline calls taken last week. Skipped when already there."""

import datetime
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from gonghui.accounts.models import User, Worker
from gonghui.core.crypto import blind_index
from gonghui.orgs.models import Node
from gonghui.positions.models import Position

from . import services
from .models import Counsellor

ROOT_NAME = "青山县总工会"
HOURS = {"0": [["09:00", "12:00"], ["14:00", "17:00"]], "2": [["14:00", "17:00"]], "4": [["09:00", "12:00"]]}
BJ = zoneinfo.ZoneInfo("Asia/Shanghai")


def load(stdout=None) -> None:
    with scopes_disabled():
        root = Node.objects.filter(name=ROOT_NAME, depth=1).first()
        admin = User.objects.filter(username="county_admin").first()
        room = Position.objects.filter(node__path__startswith=getattr(root, "path", "-"), kind="counselling",
                                       status="open").order_by("pk").first()
        if root is None or admin is None or room is None or Counsellor.objects.filter(position=room).exists():
            return
        user = User.objects.filter(username="county_reviewer").first()
        if user is None:
            return
        counsellor = services.add_counsellor(position=room, actor=admin, user=user, name="林晓雨", kind="contracted",
                                             hours=HOURS)
        day = timezone.localdate() + datetime.timedelta(days=1)
        while day.weekday() != 0:
            day += datetime.timedelta(days=1)
        for hour, phone in ((9, "13900000101"), (10, "13900000102")):
            worker = Worker.objects.filter(phone_hash=blind_index(phone, purpose="phone")).first() or \
                Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))
            services.book_session(worker=worker, counsellor=counsellor,
                          starts_at=datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BJ))
        # two hotline calls taken last week (minimal data, no caller's name or phone)
        last_week = timezone.now() - datetime.timedelta(days=7)
        services.record_call(actor=user, counsellor=counsellor, called_at=last_week, minutes=25, category="work")
        services.record_call(actor=user, counsellor=counsellor, called_at=last_week + datetime.timedelta(hours=2),
                             minutes=40, category="emotion", referred=True)
        if stdout is not None:
            stdout.write(_("Counselling: %(count)d counsellor (%(who)s), %(bookings)d bookings")
                         % {"count": 1, "who": "county_reviewer", "bookings": 2} + "\n")
