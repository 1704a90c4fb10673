"""A known tree with dated records, so each indicator has an expected value worked out by hand.

    A 青山县总工会 (county, 1951)
    ├── B 城关镇总工会 (township, 1990)
    │   ├── C 青山精密机械有限公司工会 (enterprise, 2010; 150 workers)
    │   │   └── G 一车间分工会 (branch, 2015, dissolved 2025-06-30)
    │   └── E 城关镇快递员工会 (new employment form, 2025-03-15; 60 workers)
    └── D 河口镇总工会 (township, 2000)
        └── F 河口镇汽配有限公司工会 (enterprise, 2026-02-01; 40 workers)

Members (joined → left):
    C: m1 F migrant contract 2020-05-01; m2 M new-form 2025-02-10; m3 M contract 2019-01-01 → left
       2025-04-01; m4 F contract 2025-11-20
    E: m5 M migrant new-form 2025-03-20; m6 F new-form 2024-12-31
    D: m7 M contract 2018-01-01; m8 F dispatch 2026-01-05
    F: m9 M migrant flexible 2026-02-10
Employers: B has three (unionized by C, by E, none), D two (by F, none).
Staff: socialized workers at B from 2024-03-01 and from 2025-07-01; a vice-chair at D 2020-01-01 →
2025-01-31. Targets 2025: B two socialized workers (met), D one (not met).
"""

import datetime
import itertools

import pytest
from django_scopes import scopes_disabled

from gonghui.members.models import Member
from gonghui.members.selectors import id_hash
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind, NodeStatus, StaffKind, StaffTarget, UnionStaff
from tests.factories import make_employer, resident_id

D = datetime.date
_card = itertools.count(1)


def _member(node, *, gender, joined, form="contract", migrant=False, left=None, seq):
    number = resident_id("19900101" if gender == "M" else "19920202", seq)
    return Member(node=node, name=f"测试{seq}", gender=gender, birth_date=D(1990, 1, 1), id_number=number,
                  id_hash=id_hash(number), employment_form=form, is_migrant=migrant, joined_on=joined,
                  card_number=f"T{next(_card):08d}", status="left" if left else "active", status_changed_on=left)


@pytest.fixture
def known(tree):
    with scopes_disabled():
        for node, day in ((tree.a, D(1951, 5, 1)), (tree.b, D(1990, 1, 1)), (tree.c, D(2010, 6, 1)),
                          (tree.d, D(2000, 1, 1))):
            Node.objects.filter(pk=node.pk).update(established_on=day)
        c = Node.objects.get(pk=tree.c.pk)
        g = orgs.create_node(parent=c, actor=None, name="一车间分工会", kind=NodeKind.BRANCH,
                             established_on=D(2015, 1, 1))
        Node.objects.filter(pk=g.pk).update(status=NodeStatus.DISSOLVED, ended_on=D(2025, 6, 30))
        e = orgs.create_node(parent=Node.objects.get(pk=tree.b.pk), actor=None, name="城关镇快递员工会",
                             kind=NodeKind.NEW_EMPLOYMENT, established_on=D(2025, 3, 15), worker_count=60)
        f = orgs.create_node(parent=Node.objects.get(pk=tree.d.pk), actor=None, name="河口镇汽配有限公司工会",
                             kind=NodeKind.ENTERPRISE, established_on=D(2026, 2, 1), worker_count=40)
        c, e, f = (Node.objects.get(pk=n.pk) for n in (c, e, f))
        Member.objects.bulk_create([
            _member(c, gender="F", joined=D(2020, 5, 1), migrant=True, seq=1),
            _member(c, gender="M", joined=D(2025, 2, 10), form="new_form", seq=2),
            _member(c, gender="M", joined=D(2019, 1, 1), left=D(2025, 4, 1), seq=3),
            _member(c, gender="F", joined=D(2025, 11, 20), seq=4),
            _member(e, gender="M", joined=D(2025, 3, 20), form="new_form", migrant=True, seq=5),
            _member(e, gender="F", joined=D(2024, 12, 31), form="new_form", seq=6),
            _member(tree.d, gender="M", joined=D(2018, 1, 1), seq=7),
            _member(tree.d, gender="F", joined=D(2026, 1, 5), form="dispatch", seq=8),
            _member(f, gender="M", joined=D(2026, 2, 10), form="flexible", migrant=True, seq=9),
        ])
        make_employer(tree.b, union=c, name="青山精密机械有限公司")
        make_employer(tree.b, union=e, name="城关镇顺捷快递有限公司")
        make_employer(tree.b, name="城关镇新华纺织有限公司")
        make_employer(tree.d, union=f, name="河口镇汽配有限公司")
        make_employer(tree.d, name="河口镇渡口餐饮有限公司")
        b, d = Node.objects.get(pk=tree.b.pk), Node.objects.get(pk=tree.d.pk)
        UnionStaff.objects.create(node=b, name="周敏", kind=StaffKind.SOCIALIZED, started_on=D(2024, 3, 1))
        UnionStaff.objects.create(node=b, name="吴洁", kind=StaffKind.SOCIALIZED, started_on=D(2025, 7, 1))
        UnionStaff.objects.create(node=d, name="郑伟", kind=StaffKind.VICE_CHAIR, started_on=D(2020, 1, 1),
                                  ended_on=D(2025, 1, 31))
        StaffTarget.objects.create(node=b, year=2025, kind=StaffKind.SOCIALIZED, target=2)
        StaffTarget.objects.create(node=d, year=2025, kind=StaffKind.SOCIALIZED, target=1)
        tree.e, tree.f, tree.g = e, f, g
        for name in ("a", "b", "c", "d"):
            setattr(tree, name, Node.objects.get(pk=getattr(tree, name).pk))
    return tree
