"""Console pages of statistics: the dashboard, its xlsx table, the work report and its template."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError
from gonghui.core.xlsx import XLSX_CONTENT_TYPE
from gonghui.orgs.models import GRASSROOTS_KINDS

from . import dashboard as dash
from . import report, selectors, services
from .docx import DOCX_CONTENT_TYPE, build_docx


def _dashboard_or_error(request):
    """(dashboard, None) or (None, error message) for a bad period; 404 for a node outside the scope."""
    node = dash.resolve_node(request.GET.get("node"))
    try:
        period = dash.resolve_period(request.GET.get("period"))
    except DomainError as exc:
        return node, None, exc.message
    return node, dash.build(request.user, node, period, rank=request.GET.get("rank", "")), None


def dashboard_context(request) -> dict:
    node, board, error = _dashboard_or_error(request)
    context = {"board": board, "node": node, "period_error": error, "period_spec": request.GET.get("period", ""),
               "rankable": dash.rankable(),
               # A grassroots union (an enterprise union) gets its own figures on the console home,
               # not the county's page of rankings and charts of subordinate unions it does not have.
               "compact": node is not None and node.kind in GRASSROOTS_KINDS}
    if board is not None:
        context["chart_data"] = chart_data(board)
        context["period_spec"] = board.period.spec
        context["quick_periods"] = _quick_periods()
    return context


def _quick_periods():
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return [(str(today.year), _("This year")), (str(today.year - 1), _("Last year")),
            (f"{today.year}Q{quarter}", _("This quarter")), (f"{today:%Y-%m}", _("This month"))]


# The ranking chart draws the first unions only (more bars cannot be read); the page says so, and the
# table beside it lists every subordinate union.
RANKING_CHART_ROWS = 20


def chart_data(board) -> dict:
    """What the ECharts script draws; the same numbers are in the tables beside the charts."""
    return {
        "months": [f"{m.end.year}-{m.end.month:02d}" for m in board.months],
        "trend": [{"name": str(i.name), "values": board.trend.get(i.key, [])} for i in board.trend_indicators],
        "breakdowns": [{"name": str(bd.name), "items": [{"name": label, "value": n} for _v, label, n, _u in rows]}
                       for bd, rows in board.breakdowns],
        "ranking": {"name": str(board.rank.name),
                    "items": [{"name": child.short_name or child.name, "value": float(value or 0),
                               "url": f"{reverse('stats:dashboard')}?node={child.pk}&period={board.period.spec}"}
                              for child, value in board.ranking[:RANKING_CHART_ROWS]],
                    "shown": min(len(board.ranking), RANKING_CHART_ROWS), "total": len(board.ranking)},
    }


@cadre_required
@replica_reads
def dashboard_page(request):
    return render(request, "stats/dashboard.html", dashboard_context(request))


@cadre_required
@replica_reads
def export_table(request):
    """The dashboard's tables as xlsx: the node's indicators with last year, then one row per child."""
    node, board, error = _dashboard_or_error(request)
    if error:
        messages.error(request, error)
        return redirect(f"{reverse('stats:dashboard')}?node={node.pk}")
    content = dash.table_xlsx(board, exported_by=str(request.user))
    audit("stats.table.exported", actor=request.user, obj=node,
          data={"period": board.period.spec, "children": len(board.children)})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="stats-{node.code}-{board.period.spec}.xlsx"'
    return response


def _report(request):
    node, board, error = _dashboard_or_error(request)
    if error:
        return node, None, None, error
    try:
        blocks = dash.report_blocks(request.user, board)
    except DomainError as exc:
        return node, board, None, exc.message
    return node, board, blocks, None


@cadre_required
@replica_reads
def report_page(request):
    node, board, blocks, error = _report(request)
    return render(request, "stats/report.html", {
        "node": node, "board": board, "blocks": blocks, "error": error,
        "period_spec": request.GET.get("period", ""),
        "can_edit_template": allowed(request.user, "stats.template.update", node=node)})


@cadre_required
@replica_reads
def report_download(request):
    node, board, blocks, error = _report(request)
    if error:
        messages.error(request, error)
        return redirect(f"{reverse('stats:report')}?node={node.pk}")
    fmt = request.GET.get("format", "docx")
    title = blocks[0].text if blocks else node.name
    audit("stats.report.exported", actor=request.user, obj=node, data={"period": board.period.spec, "format": fmt})
    name = f"report-{node.code}-{board.period.spec}"
    if fmt == "txt":
        response = HttpResponse(report.plain_text(blocks), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.txt"'
        return response
    response = HttpResponse(build_docx(blocks, title=title, author=str(request.user)), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


@cadre_required
def template_edit(request):
    node = dash.resolve_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "stats.template.update", node=node)
    current = selectors.report_template_for(node)
    own = current if current is not None and current.node_id == node.pk else None
    text = request.POST.get("text") if request.method == "POST" else (current.text if current else
                                                                      report.DEFAULT_TEMPLATE)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("reset"):
                services.reset_report_template(node=node, actor=request.user)
            else:
                services.save_report_template(node=node, text=text or "", actor=request.user,
                                              expected_version=editing.version_from_post(request))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('stats:report')}?node={node.pk}")
    return render(request, "stats/template.html", {
        "node": node, "text": text, "error": error, "own": own, "inherited": current if own is None else None,
        # The version the editor was opened with goes back with it (a stale save is refused, core.editing).
        "version": request.POST.get("version", "") if request.method == "POST" else selectors.template_version(node),
        "indicators": dash.rankable(), "areas": report.registry.AREAS})

