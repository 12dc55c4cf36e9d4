/* Charts from the JSON block #chart-data (a data block, not a script: CSP allows no inline script). */
(function () {
  "use strict";
  var block = document.getElementById("chart-data");
  if (!block || typeof Chart === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  Chart.defaults.font.family = '"Noto Naskh Arabic", serif';
  Chart.defaults.animation = false;
  document.querySelectorAll("canvas.chart[data-chart]").forEach(function (canvas) {
    var series = data[canvas.dataset.chart] || {};
    var keys = Object.keys(series);
    // long source labels (file paths) are cut for the axis; the tooltip keeps the whole label
    var labels = keys.map(function (k) { return k.length > 28 ? "…" + k.slice(-27) : k; });
    new Chart(canvas, {
      type: canvas.dataset.kind || "bar",
      data: { labels: labels, datasets: [{ label: canvas.dataset.label || "", data: keys.map(function (k) { return series[k]; }),
        backgroundColor: "rgba(11, 110, 79, 0.55)", borderColor: "#0b6e4f", borderWidth: 1.5, pointRadius: 2, fill: false }] },
      options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } },
        scales: { x: { reverse: true, ticks: { autoSkip: true, maxRotation: 60 } }, y: { beginAtZero: true, position: "right",
          ticks: { precision: 0 } } } }
    });
  });
})();
