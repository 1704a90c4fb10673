// Draws the dashboard's charts with the vendored ECharts from the JSON the page carries.
// Without JavaScript (or if ECharts fails to load) the tables below each chart stay visible.
(function () {
  "use strict";
  function draw() {
    var holder = document.querySelector(".stats");
    var script = document.getElementById("stats-data");
    if (!holder || !script || !window.echarts) return;
    var data = JSON.parse(script.textContent);
    holder.classList.add("js");
    var charts = [];
    function chart(id, option) {
      var el = document.getElementById(id);
      if (!el) return null;
      var c = window.echarts.init(el);
      c.setOption(option);
      charts.push(c);
      return c;
    }
    if (data.trend) {
      chart("chart-trend", {
        tooltip: { trigger: "axis" }, legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 28 },
        xAxis: { type: "category", data: data.months },
        // stocks (members at each month's end) on the left axis, flows (joined in the month) on the right
        yAxis: [{ type: "value", scale: true }, { type: "value", splitLine: { show: false } }],
        series: data.trend.map(function (s, i) {
          return { name: s.name, type: i === 0 ? "line" : "bar", yAxisIndex: i === 0 ? 0 : 1, data: s.values };
        })
      });
    }
    (data.breakdowns || []).forEach(function (b, i) {
      chart("chart-breakdown-" + i, {
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { type: "scroll", orient: "vertical", right: 0, top: "middle" },
        series: [{ type: "pie", radius: ["35%", "65%"], center: ["32%", "50%"], data: b.items,
                   label: { show: false } }]
      });
    });
    if (data.ranking && data.ranking.items.length) {
      var items = data.ranking.items.slice().reverse();
      var ranking = chart("chart-ranking", {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 140, right: 24, top: 8, bottom: 24 },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: items.map(function (x) { return x.name; }) },
        series: [{ name: data.ranking.name, type: "bar", data: items.map(function (x) { return x.value; }) }]
      });
      if (ranking) {  // drill down: a click on a union's bar opens its figures
        ranking.on("click", function (p) { window.location.href = items[p.dataIndex].url; });
      }
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
