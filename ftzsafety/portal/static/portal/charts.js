/* Registry charts (Apache ECharts). Every element with data-chart="ID" is drawn from the JSON in
 * <script type="application/json" id="ID"> (Django's json_script): {kind: "bar"|"pie", labels, values, links}.
 * Canvas renderer and rich-text tooltips, so ECharts never writes inline style attributes (CSP style-src 'self'). */
(function () {
  "use strict";

  var PALETTE = ["#114f9f", "#c8102e", "#1d6b3a", "#b86e00", "#5b3fa0", "#0f7f8c", "#7a8699", "#d35f1a",
    "#3f7fd6", "#8a1c40", "#4f8f2f", "#a07b00"];
  var charts = [];

  function readJson(id) {
    var element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function barOption(data) {
    return {
      color: PALETTE,
      aria: { enabled: true },
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: data.labels,
        axisTick: { alignWithLabel: true },
        axisLabel: { interval: 0, hideOverlap: true, width: 110, overflow: "truncate" }
      },
      yAxis: { type: "value", minInterval: 1 },
      series: [{
        type: "bar",
        data: data.values,
        barMaxWidth: 48,
        itemStyle: { color: "#114f9f", borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: "top" },
        cursor: data.links && data.links.length ? "pointer" : "default"
      }]
    };
  }

  function pieOption(data) {
    var items = data.labels.map(function (label, index) { return { name: label, value: data.values[index] }; });
    return {
      color: PALETTE,
      aria: { enabled: true },
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", orient: "horizontal", bottom: 0, textStyle: { fontSize: 11 } },
      series: [{
        type: "pie",
        radius: ["38%", "66%"],
        center: ["50%", "44%"],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        label: { show: true, formatter: "{c}" },
        data: items
      }]
    };
  }

  function draw(element) {
    var data = readJson(element.getAttribute("data-chart"));
    if (!data || typeof window.echarts === "undefined") {
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(data.kind === "pie" ? pieOption(data) : barOption(data));
    chart.on("click", function (params) {
      var link = data.links && data.links[params.dataIndex];
      if (link) {
        window.location.assign(link);
      }
    });
    charts.push(chart);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) { chart.resize(); });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
