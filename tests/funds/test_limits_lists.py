"""Funds choosers and lists never stop at a silent cap: the unions offered as an allocation's
receiver or a payment's payee narrow by search past CHOOSER_ROWS ("showing N of M"), and the
allocation orders waiting page."""

import re

from django.test import Client
from django.urls import reverse

from gonghui.core import paging

from .kit import setup


def _client(tree, name="b_fin") -> Client:
    client = Client()
    client.force_login(tree.user(name))
    return client


def _options(page: str, name: str) -> list[str]:
    start = page.index(f'name="{name}"')
    return re.findall(r'<option value="(\d+)"', page[start:page.index("</select>", start)])


def test_the_receiving_unions_narrow_by_search_past_the_cap(tree, monkeypatch):
    setup(tree)
    monkeypatch.setattr(paging, "CHOOSER_ROWS", 1)
    client = _client(tree, "a_fin")
    page = client.get(reverse("funds:allocations"), {"node": tree.a.pk}).content.decode()
    assert len(_options(page, "to_node")) == 1
    shown, total = map(int, re.search(r'data-shown="(\d+)" data-total="(\d+)"', page).groups())
    assert (shown, total) == (1, 3)  # 城关镇, 青山精密机械, 河口镇 under the county
    found = client.get(reverse("funds:allocations"), {"node": tree.a.pk, "uq": "河口"}).content.decode()
    assert _options(found, "to_node") == [str(tree.d.pk)]


def test_the_payees_narrow_by_search_past_the_cap(tree, monkeypatch):
    setup(tree)
    monkeypatch.setattr(paging, "CHOOSER_ROWS", 1)
    client = _client(tree, "a_fin")
    page = client.get(reverse("funds:payments"), {"node": tree.a.pk}).content.decode()
    assert len(_options(page, "payee_node")) == 1 and 'name="uq"' in page
    found = client.get(reverse("funds:payments"), {"node": tree.a.pk, "uq": "精密"}).content.decode()
    assert _options(found, "payee_node") == [str(tree.c.pk)]


def test_allocation_orders_waiting_page_past_fifty(tree):
    from django_scopes import scopes_disabled

    from gonghui.funds.services import allocations

    from .kit import YEAR

    funds = setup(tree)
    with scopes_disabled():
        for n in range(51):
            allocations.prepare_allocation(actor=tree.user("a_fin"), from_node=tree.a, targets=[(tree.b, "10")],
                                           year=YEAR, category=funds.subsidy, note=f"第{n}单")
    client = _client(tree, "a_fin2")
    first = client.get(reverse("funds:allocations"), {"node": tree.a.pk, "year": YEAR})
    assert len(first.context["waiting"]) == 50 and first.context["waiting_page"].paginator.count == 51
    assert "wpage=2" in first.content.decode()
    second = client.get(reverse("funds:allocations"), {"node": tree.a.pk, "year": YEAR, "wpage": 2})
    assert len(second.context["waiting"]) == 1


def test_the_narrowing_search_says_what_it_finds_and_the_two_columns_differ(tree, monkeypatch):
    """Read as a finance officer reads it (Chinese): the search box under the allocations table names
    the receiving union it looks for, and the allocation's kind (下拨/专项补助/以奖代补) is not a
    second column headed 类别 beside the category."""
    setup(tree)
    monkeypatch.setattr(paging, "CHOOSER_ROWS", 1)
    client = _client(tree, "a_fin")
    page = client.get(reverse("funds:allocations"), {"node": tree.a.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "查找接收工会" in page
    assert "拨付方式" in page and page.count("<th>类别</th>") == 1
