// Draws each table's chart from the JSON the page embeds (no inline script: the CSP is 'self').
(function () {
  "use strict";
  const palette = ["#0b6e4f", "#2f6fba", "#c0392b", "#d68910", "#7d3c98", "#148f77", "#5d6d7e"];

  function draw(canvas, spec) {
    const horizontal = Boolean(spec.horizontal);
    const datasets = spec.datasets.map(function (set, i) {
      const colour = palette[i % palette.length];
      return {
        label: set.label,
        data: set.data,
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        spanGaps: false,
        tension: 0.2,
      };
    });
    if (horizontal) {
      canvas.parentElement.style.height = Math.max(220, spec.labels.length * 22 + 60) + "px";
    }
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: spec.y ? { y: { title: { display: true, text: spec.y } } } : {},
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const source = document.getElementById("charts");
    if (!source || !window.Chart) return;
    const charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const spec = charts[Number(canvas.dataset.chart)];
      if (spec) draw(canvas, spec);
    });
  });
})();
