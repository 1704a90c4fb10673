"""Builders for counselling tests: a counselling room, its counsellor (an account of their own) and workers."""

import itertools

from django_scopes import scopes_disabled

from gonghui.accounts.models import Role, Worker
from gonghui.core.crypto import blind_index
from gonghui.counselling import services
from tests.factories import make_user
from tests.positions.factories import make_position

_seq = itertools.count(1)
HOURS = {"0": [["09:00", "12:00"]], "2": [["14:00", "17:00"]]}  # Monday morning, Wednesday afternoon


def room(tree, node=None):
    with scopes_disabled():
        return make_position(node or tree.b, tree=tree, kind="counselling", name=f"职工心灵驿站{next(_seq)}")


def counsellor(tree, node=None, *, username=None):
    with scopes_disabled():
        user = make_user(username or f"counsellor{next(_seq)}", node=node or tree.b, roles=[Role.VIEWER])
        return services.add_counsellor(position=room(tree, node), actor=tree.user("a_admin"), user=user,
                                       name="林晓雨", hours=HOURS, kind="contracted")


def worker():
    phone = f"1391{next(_seq):07d}"
    with scopes_disabled():
        return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))
