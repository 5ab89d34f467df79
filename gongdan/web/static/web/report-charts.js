/* The charts of the assessment page (web/report.html).
 *
 * The page carries what each chart draws as JSON (#report-charts, built by
 * gongdan/web/charts.py) and prints the same numbers in the table beside
 * each chart. Counts are bars on the left axis, the user satisfaction a
 * line or points on the right axis in percent; a value that is "—" in the
 * table (no follow-up, D5) is drawn as nothing. A click on a bar or point
 * opens the orders behind it, like the numbers of the table.
 */
(function () {
  "use strict";

  var source = document.getElementById("report-charts");
  if (!source || !window.echarts) {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var drawn = [];

  function showValue(unit) {
    return function (value) {
      if (value === null || value === undefined || value === "-") {
        return "—";
      }
      return unit === "%" ? Number(value).toFixed(2) + "%" : String(value);
    };
  }

  function seriesOption(series) {
    var rate = series.unit === "%";
    return {
      id: series.key,
      name: series.name,
      type: series.type,
      yAxisIndex: rate ? 1 : 0,
      data: series.values,
      connectNulls: false,
      symbolSize: series.type === "scatter" ? 12 : 6,
      barMaxWidth: 36,
      tooltip: { valueFormatter: showValue(series.unit) },
    };
  }

  function chartOption(chart) {
    var rated = chart.series.some(function (s) {
      return s.unit === "%";
    });
    var yAxis = [{ type: "value", name: "件数", minInterval: 1 }];
    if (rated) {
      yAxis.push({
        type: "value",
        name: "满意率（%）",
        min: 0,
        max: 100,
        axisLabel: { formatter: "{value}%" },
        splitLine: { show: false },
      });
    }
    // Many names along the axis: slant them 30°, and set the axis name
    // below the lowest reach of the longest one (12px characters).
    var slant = chart.names.length > 6;
    var longest = chart.names.reduce(function (most, name) {
      return Math.max(most, String(name).length);
    }, 0);
    var gap = slant ? Math.ceil(longest * 12 * 0.5 + 12) + 18 : 26;
    return {
      animation: false,
      aria: { enabled: true },
      title: { text: chart.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 26 },
      grid: {
        top: 72,
        left: 16,
        right: 16,
        bottom: 30,
        containLabel: true,
      },
      xAxis: {
        type: "category",
        name: chart.axis,
        nameLocation: "middle",
        nameGap: gap,
        data: chart.names,
        axisLabel: { interval: 0, rotate: slant ? 30 : 0, hideOverlap: false },
      },
      yAxis: yAxis,
      series: chart.series.map(seriesOption),
    };
  }

  function openOrders(chart) {
    return function (params) {
      var series = chart.series[params.seriesIndex];
      var link = series && series.links[params.dataIndex];
      if (link) {
        window.location.assign(link);
      }
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var chart = charts[el.getAttribute("data-chart")];
    if (!chart) {
      return;
    }
    var instance = window.echarts.init(el, null, { renderer: "canvas" });
    instance.setOption(chartOption(chart));
    instance.on("click", openOrders(chart));
    drawn.push(instance);
  });

  window.addEventListener("resize", function () {
    drawn.forEach(function (instance) {
      instance.resize();
    });
  });
})();
