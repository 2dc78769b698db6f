/* Filing review metrics (Apache ECharts): parallel elapsed hours against the sequential equivalent per filing.
 * Data from <script type="application/json" id="..."> (json_script). Canvas renderer, rich-text tooltips: no inline
 * style attributes (CSP style-src 'self'). */
(function () {
  "use strict";
  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-metrics-chart"));
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#114f9f", "#c8102e"],
      aria: { enabled: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { data: [data.parallel_label, data.sequential_label], top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 45, fontSize: 10 } },
      yAxis: { type: "value", name: "h" },
      series: [
        { name: data.parallel_label, type: "bar", data: data.parallel, barMaxWidth: 18 },
        { name: data.sequential_label, type: "bar", data: data.sequential, barMaxWidth: 18 }
      ]
    });
    element.setAttribute("data-chart-ready", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() {
    var elements = document.querySelectorAll("[data-metrics-chart]");
    for (var i = 0; i < elements.length; i += 1) { draw(elements[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
