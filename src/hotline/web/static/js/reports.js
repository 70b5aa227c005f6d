// 报表: loads /api/reports/figures for the chosen period, grouping and service-level variant;
// draws the figures against the period before and the targets (green: met, red: missed),
// the rows of the grouping, and ECharts charts of calls, service level and abandon rate
// (this period against the one before, with the target line). Without ECharts (the vendor
// file missing) the charts are hidden and the tables carry the figures. A figure without a
// value says why (the API's `missing`), never 0.
(() => {
  const { t, lang, api, errorText, el, flash } = Console;
  const $ = (id) => document.getElementById(id);
  const headline = JSON.parse($("reports-headline").textContent);
  const charts = {};
  if (typeof echarts !== "undefined" && !window.echartsMissing) {
    for (const name of ["calls", "sl", "abandon"]) {
      charts[name] = echarts.init($("chart-" + name), null, { renderer: "canvas" });
    }
    window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  } else {
    $("reports-charts").hidden = true;
    $("reports-chart-missing").hidden = false;
  }

  function none() { return t("common.none"); }

  /** A ratio as a percentage; one that is not zero but would read 0.0% keeps two
   *  significant digits (as `hotline.metrics.render.percent`). */
  function percent(value) {
    const shown = value * 100;
    if (shown !== 0 && Math.abs(shown) < 0.05) return Number(shown.toPrecision(2)) + "%";
    return shown.toFixed(1) + "%";
  }

  /** A value as people read it, by the figure's unit in the page's language (null → —);
   *  the same text as the management report and `hotline report` print. */
  function fmt(figure, value) {
    if (value === null || value === undefined) return none();
    switch (figure.unit) {
      case "ratio": return percent(value);
      case "seconds": return t("reports.seconds", { n: value.toFixed(1) });
      case "per_hour": return t("reports.per_hour", { n: value.toFixed(2) });
      case "count": return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2);
      case "yuan": return "¥" + value.toFixed(2);
      default: return value.toFixed(2);
    }
  }

  function name(figure) {
    const title = lang === "en" ? figure.en : figure.zh;
    return figure.number ? figure.number + ". " + title : title;
  }

  function targetText(figure) {
    if (!figure.target) return "";
    return (figure.target.better === "higher" ? "≥ " : "≤ ") + fmt(figure, figure.target.value);
  }

  /** Whether a period holds anything from the event log: a count above zero (calls,
   *  conversations, logged-in hours …), as `hotline.reports.compare.has_data`. */
  function hasData(values, figures) {
    return Object.entries(values).some(([k, v]) => figures[k] && figures[k].unit === "count" && v > 0);
  }

  function changeText(figure, change, noPrevious) {
    if (noPrevious) return t("reports.no_previous");
    if (!change || change.delta === null) return none();
    if (figure.unit === "ratio") {
      const points = change.delta * 100;
      return t("reports.points", { n: (points >= 0 ? "+" : "") + points.toFixed(1) });
    }
    if (change.relative === null) return (change.delta >= 0 ? "+" : "") + fmt(figure, change.delta);
    const pct = change.relative * 100;
    return (pct >= 0 ? "+" : "") + pct.toFixed(1) + "%";
  }

  const good = (state) => (state === "met" || state === "better" ? "good" : state === "missed" || state === "worse" ? "bad" : "");

  function summary(data, figures) {
    const body = $("reports-summary").querySelector("tbody");
    const noPrevious = !hasData(data.previous.total.values, figures);
    body.replaceChildren(...data.figures.map((f) => {
      const change = data.changes[f.key];
      const why = data.current.missing[f.key];
      return el("tr", { dataset: { figure: f.key } },
        el("td", { title: f.formula }, name(f)),
        el("td", { class: "num " + good(data.current.total.status[f.key]), title: why || null, dataset: { field: "current" } },
          fmt(f, data.current.total.values[f.key])),
        el("td", { class: "num", title: data.previous.missing[f.key] || null, dataset: { field: "previous" } },
          noPrevious ? none() : fmt(f, data.previous.total.values[f.key])),
        el("td", { class: "num change " + good(change && change.trend), dataset: { field: "change" } }, changeText(f, change, noPrevious)),
        el("td", { class: "num muted" }, targetText(f)));
    }));
  }

  function detail(data, figures) {
    const table = $("reports-detail");
    const keys = headline.filter((k) => figures[k] && !(data.current.missing[k] || "").startsWith("not defined"));
    table.querySelector("thead").replaceChildren(el("tr", {},
      el("th", {}, t("reports.by_" + data.by)),
      ...keys.map((k) => el("th", { class: "num", title: figures[k].formula }, lang === "en" ? figures[k].en : figures[k].zh))));
    const rows = [...data.current.rows, data.current.total];
    if (!data.current.rows.length) {
      table.querySelector("tbody").replaceChildren(el("tr", {}, el("td", { colspan: keys.length + 1, class: "muted" }, t("reports.empty"))));
      return;
    }
    table.querySelector("tbody").replaceChildren(...rows.map((row) => {
      const total = row === data.current.total;
      const label = data.by === "agent" && !total
        ? el("a", { href: "/reports/agent/" + encodeURIComponent(row.key) }, row.label)
        : total ? t("reports.total") : row.label;
      return el("tr", { dataset: { row: row.key }, class: total ? "total" : null },
        el("th", {}, label),
        ...keys.map((k) => el("td", { class: "num " + good(row.status[k]), dataset: { figure: k } }, fmt(figures[k], row.values[k]))));
    }));
    const missing = Object.entries(data.current.missing).filter(([, why]) => !why.endsWith("分组时无定义"));
    $("reports-missing").replaceChildren(...missing.map(([k, why]) =>
      el("li", { dataset: { figure: k } }, el("b", {}, figures[k] ? name(figures[k]) : k), "：", why)));
  }

  function drawCharts(data, figures) {
    if (!charts.calls) return;
    const labels = data.current.rows.map((r) => r.label);
    const before = Object.fromEntries(data.previous.rows.map((r) => [r.key, r]));
    const prior = data.previous_rows.map((key) => (key === null ? null : before[key]));
    const series = (key, rows) => rows.map((r) => (r && r.values[key] !== undefined && r.values[key] !== null ? r.values[key] : null));
    const percent = (values) => values.map((v) => (v === null ? null : +(v * 100).toFixed(2)));
    const base = {
      animation: false,
      textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 40 },
      xAxis: { type: "category", data: labels, axisLabel: { rotate: labels.length > 12 ? 30 : 0 } },
    };
    const volume = ["offered", "handled", "total_calls"].find((k) => figures[k] && !data.current.missing[k]) || "offered";
    charts.calls.setOption({
      ...base,
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: t("reports.this_period"), type: "bar", data: series(volume, data.current.rows), itemStyle: { color: "#1677d2" } },
        { name: t("reports.previous_period"), type: "line", data: series(volume, prior), itemStyle: { color: "#8a96a3" }, lineStyle: { type: "dashed" } },
      ],
    }, true);
    const rate = (chart, key) => {
      const figure = figures[key];
      const mark = figure && figure.target
        ? { silent: true, symbol: "none", lineStyle: { color: "#d23b3b", type: "dashed" }, label: { position: "insideEndTop", formatter: t("reports.target") + " " + (figure.target.value * 100).toFixed(0) + "%" }, data: [{ yAxis: figure.target.value * 100 }] }
        : undefined;
      chart.setOption({
        ...base,
        yAxis: { type: "value", min: 0, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: t("reports.this_period"), type: "line", data: percent(series(key, data.current.rows)), itemStyle: { color: "#1f9d55" }, markLine: mark, connectNulls: false },
          { name: t("reports.previous_period"), type: "line", data: percent(series(key, prior)), itemStyle: { color: "#8a96a3" }, lineStyle: { type: "dashed" } },
        ],
      }, true);
    };
    rate(charts.sl, "service_level");
    rate(charts.abandon, "abandon_rate");
  }

  function params(extra) {
    const query = new URLSearchParams();
    for (const [field, id] of [["from", "reports-from"], ["to", "reports-to"], ["by", "reports-by"], ["sl_variant", "reports-sl-variant"]]) {
      const value = $(id).value;
      if (value) query.set(field, value);
    }
    for (const [k, v] of Object.entries(extra || {})) query.set(k, v);
    return query;
  }

  function links(data) {
    $("reports-from").value = data.period.first;
    $("reports-to").value = data.period.last;
    $("reports-period").textContent = t("reports.versus", {
      first: data.period.first, last: data.period.last,
      prev_first: data.previous_period.first, prev_last: data.previous_period.last,
    });
    $("reports-csv").href = "/api/reports/figures?" + params({ format: "csv" });
    $("reports-xlsx").href = "/api/reports/figures?" + params({ format: "xlsx" });
    $("reports-daily").href = "/reports/daily?date=" + data.period.last;
    $("reports-monthly").href = "/reports/monthly?month=" + data.period.last.slice(0, 7);
    window.history.replaceState(null, "", "/reports?" + params());
  }

  async function load() {
    flash($("reports-message"), "", "");
    $("reports-apply").disabled = true;
    const result = await api("GET", "/api/reports/figures?" + params());
    $("reports-apply").disabled = false;
    if (!result.ok) {
      flash($("reports-message"), "error", t("common.error", { message: errorText(result) }));
      return;
    }
    const data = result.data;
    const figures = Object.fromEntries(data.figures.map((f) => [f.key, f]));
    links(data);
    summary(data, figures);
    detail(data, figures);
    drawCharts(data, figures);
    document.body.dataset.loaded = data.by;
  }

  $("reports-form").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  $("reports-by").addEventListener("change", load);
  $("reports-sl-variant").addEventListener("change", load);
  load();
})();
