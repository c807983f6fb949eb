// Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">
// (Django's json_script), so pages need no inline script. Each chart has its number table next to it.
(function () {
  "use strict";
  var COLOURS = ["#2563eb", "#9ca3af", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#be185d"];

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function datasets(spec) {
    return spec.series.map(function (s, i) {
      var colour = s.colour || COLOURS[i % COLOURS.length];
      var set = {
        label: s.label,
        data: s.data,
        borderColor: colour,
        backgroundColor: colour,
        spanGaps: false,
        pointRadius: spec.labels.length > 40 ? 0 : 2,
        tension: 0.15,
      };
      if (spec.type === "burnup" && i === 1) {
        set.borderDash = [6, 4];
      }
      if (s.kind === "bar") {
        set.type = "bar";
      }
      return set;
    });
  }

  function options(spec) {
    var value = { beginAtZero: !spec.log };
    if (spec.log) {
      value.type = "logarithmic";
      value.min = 1;
    }
    if (spec.percent) {
      value.ticks = { callback: function (v) { return v + "%"; } };
    }
    var category = { ticks: { autoSkip: true, maxRotation: 0 } };
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", display: spec.series.length > 1 } },
      scales: spec.horizontal ? { x: value, y: category } : { y: value, x: category },
      indexAxis: spec.horizontal ? "y" : "x",
    };
  }

  function draw(canvas) {
    var spec = read(canvas.dataset.chart);
    if (!spec || typeof Chart === "undefined") {
      return;
    }
    var type = spec.type === "bar" || spec.type === "funnel" ? "bar" : "line";
    new Chart(canvas, { type: type, data: { labels: spec.labels, datasets: datasets(spec) }, options: options(spec) });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
