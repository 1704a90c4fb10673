"""Factories for tests. The scope tree is the one every permission test uses:

    A  青山县总工会 (county)
    ├── B  城关镇总工会 (township)
    │   └── C  青山精密机械有限公司工会 (enterprise)
    └── D  河口镇总工会 (township, sibling of B)
"""

from dataclasses import dataclass, field
from itertools import count

from gonghui.accounts.models import Role, RoleAssignment, User
from gonghui.core.ids import USCC_ALPHABET, resident_id_check_char, uscc_check_char
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Employer, Node, NodeKind, Sector

_seq = count(1)


def credit_code(n: int | None = None, *, authority: str = "9", kind: str = "1", area: str = "330521") -> str:
    n = next(_seq) if n is None else n
    body = ""
    value = n * 7919 + 104729
    for _ in range(9):
        body = USCC_ALPHABET[value % 31] + body
        value //= 31
    first17 = authority + kind + area + body
    return first17 + uscc_check_char(first17)


def resident_id(birth: str = "19900101", seq: int = 123, area: str = "330521") -> str:
    first17 = f"{area}{birth}{seq:03d}"
    return first17 + resident_id_check_char(first17)


def make_user(username: str, *, node: Node | None = None, roles=(), password: str = "Tr0ub4dor&3x!") -> User:
    user = User.objects.create_user(username=username, password=password, display_name=username)
    for role in roles:
        RoleAssignment.objects.create(user=user, node=node, role=role)
    return user


def make_employer(node: Node, *, name: str | None = None, union: Node | None = None, employees: int = 50,
                  sector: str = Sector.MANUFACTURING) -> Employer:
    n = next(_seq)
    return Employer.objects.with_scopes_disabled().create(
        node=node, name=name or f"测试企业{n}有限公司", credit_code=credit_code(n), sector=sector,
        employee_count=employees, union=union)


@dataclass
class Tree:
    a: Node
    b: Node
    c: Node
    d: Node
    users: dict = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]


def make_tree() -> Tree:
    a = orgs.create_root(name="青山县总工会", kind=NodeKind.COUNTY, region_code="330521", region_name="青山县")
    b = orgs.create_node(parent=a, actor=None, name="城关镇总工会", kind=NodeKind.TOWNSHIP_UNION)
    c = orgs.create_node(parent=Node.objects.get(pk=b.pk), actor=None, name="青山精密机械有限公司工会",
                         kind=NodeKind.ENTERPRISE, member_count=120, worker_count=150)
    d = orgs.create_node(parent=Node.objects.get(pk=a.pk), actor=None, name="河口镇总工会",
                         kind=NodeKind.TOWNSHIP_UNION)
    a, b, c, d = (Node.objects.get(pk=n.pk) for n in (a, b, c, d))
    t = Tree(a=a, b=b, c=c, d=d)
    t.users["a_admin"] = make_user("a_admin", node=a, roles=[Role.ADMIN])
    t.users["b_admin"] = make_user("b_admin", node=b, roles=[Role.ADMIN])
    t.users["b_clerk"] = make_user("b_clerk", node=b, roles=[Role.CLERK])
    t.users["b_viewer"] = make_user("b_viewer", node=b, roles=[Role.VIEWER])
    t.users["d_admin"] = make_user("d_admin", node=d, roles=[Role.ADMIN])
    t.users["nobody"] = make_user("nobody")
    return t
