"""Scope-proof registration of the statistics URLs (see tests/scope_kit.py)."""

from tests.scope_kit import NODE_SCOPED, SIGNED_IN, Route, _node, scoped

ROUTES = {
    "stats:dashboard": Route(NODE_SCOPED, target=_node, param="?node"),
    "stats:export": Route(NODE_SCOPED, target=_node, param="?node"),
    "stats:report": Route(NODE_SCOPED, target=_node, param="?node"),
    "stats:report_download": Route(NODE_SCOPED, target=_node, param="?node", query={"format": "txt"}),
    "stats:template": scoped(_node, param="?node", data=lambda t, n: {"node": n.pk, "text": "# {node}{period}报告\n会员{members.total}人。"}),
    "api:get_stat_indicators": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:list_stat_indicators": SIGNED_IN,
}
