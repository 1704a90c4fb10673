import pytest
from django_scopes import ScopeError

from gonghui.core.lookups import Subtree
from gonghui.core.scoping import tree_scope
from gonghui.orgs.models import Employer, Node
from tests.factories import make_employer


def test_query_of_scoped_data_without_a_scope_raises(tree):
    with pytest.raises(ScopeError):
        list(Employer.objects.all())
    with pytest.raises(ScopeError):
        Node.scoped.count()


def test_scope_of_a_township_sees_its_subtree_only(tree, unscoped):
    in_c = make_employer(tree.c)
    in_d = make_employer(tree.d)
    in_a = make_employer(tree.a)
    with tree_scope(Subtree([tree.b.path])):
        assert set(Employer.objects.values_list("pk", flat=True)) == {in_c.pk}
        assert set(Node.scoped.values_list("pk", flat=True)) == {tree.b.pk, tree.c.pk}
    with tree_scope(Subtree([tree.b.path, tree.d.path])):
        assert set(Employer.objects.values_list("pk", flat=True)) == {in_c.pk, in_d.pk}
    with tree_scope(Subtree([tree.a.path])):
        assert Employer.objects.count() == 3
    with tree_scope(Subtree([])):
        assert Employer.objects.count() == 0
    assert in_a


def test_subtree_keeps_only_topmost_roots():
    assert Subtree(["0001", "00010002", "0003"]).paths == ("0001", "0003")
    assert Subtree(["00010002"]).covers("000100020001")
    assert not Subtree(["00010002"]).covers("00010003")
