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
    // Twelve colours told apart by everyone (ECharts' nine repeat on a pie of more slices).
    var PALETTE = ["#2f6db5", "#e4572e", "#29a36a", "#f2a541", "#7b4ea3", "#1fa2b7", "#c2185b", "#8d6e63",
                   "#9bc53d", "#5c6bc0", "#ff7f0e", "#607d8b"];
    function chart(id, option) {
      var el = document.getElementById(id);
      if (!el) return null;
      var c = window.echarts.init(el);
      option.color = PALETTE;
      c.setOption(option);
      charts.push(c);
      return c;
    }
    if (data.trend) {
      chart("chart-trend", {
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0 },
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
      // The legend under the ring, never over it, every name shown: the chart grows by a line of
      // legend for every three slices (long names such as 户外劳动者服务站点 included).
      var el = document.getElementById("chart-breakdown-" + i);
      if (el) el.style.height = (230 + Math.ceil(b.items.length / 3) * 24) + "px";
      chart("chart-breakdown-" + i, {
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)", renderMode: "richText" },
        legend: { type: "plain", orient: "horizontal", left: 8, right: 8, top: 220, itemGap: 10 },
        series: [{ type: "pie", radius: [48, 96], center: ["50%", 110], data: b.items,
                   avoidLabelOverlap: true, label: { show: false } }]
      });
    });
    if (data.ranking && data.ranking.items.length) {
      var items = data.ranking.items.slice().reverse();
      var ranking = chart("chart-ranking", {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
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
