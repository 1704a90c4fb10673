"""Models of stats: the work-report template an administrator may edit for their subtree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.scoping import ScopedManager


class ReportTemplate(models.Model):
    """The text of the work report for a node's subtree (the nearest one above a node applies)."""

    node = models.OneToOneField("orgs.Node", on_delete=models.CASCADE, related_name="report_template")
    text = models.TextField(_("template"), max_length=20000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = _("work report template")
        verbose_name_plural = _("work report templates")

    def __str__(self) -> str:
        return f"report template @ {self.node_id}"


class Snapshot(models.Model):
    """Figures of a node's whole subtree on a day, computed by ``gonghui stats-refresh``.

    ``values`` maps indicator keys to the subtree's value on ``on``: stocks as they stood that day,
    flows cumulated from the beginning (a period's flow is the difference of two days), breakdowns
    as ``bd:<key>:<value>``. Large subtrees read these instead of aggregating millions of rows; see
    docs/stats.md.
    """

    node = models.ForeignKey("orgs.Node", on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    values = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    objects = ScopedManager(tree="node__path__within")

    class Meta:
        verbose_name = pgettext_lazy("model", "statistics snapshot")
        verbose_name_plural = pgettext_lazy("model", "statistics snapshots")
        constraints = [models.UniqueConstraint(fields=["node", "on"], name="stats_snapshot_unique")]
        indexes = [models.Index(fields=["on", "node"], name="stats_snapshot_on_node")]

    def __str__(self) -> str:
        return f"snapshot {self.node_id} @ {self.on}"


class SnapshotDay(models.Model):
    """What the sources looked like when a day's snapshots were computed: per table its row count,
    highest id and latest change stamp, so a later night recomputes only the days changes reach
    (``stats.changes``)."""

    on = models.DateField(unique=True)
    sources = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("model", "statistics snapshot day")
        verbose_name_plural = pgettext_lazy("model", "statistics snapshot days")

    def __str__(self) -> str:
        return f"snapshot day {self.on}"
