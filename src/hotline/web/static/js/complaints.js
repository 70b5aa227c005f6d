// 投诉分析: loads /api/complaints/analysis for the chosen period and draws the KPIs, the
// Pareto of causes (bars by count, cumulative share line), the daily trend and the tables.
// Only aggregates come from the API: no complainant is ever shown here. Without ECharts
// (the vendor file missing) the charts are hidden and the tables carry the figures.
(() => {
  const { t, api, errorText, el, percent, count, flash } = Console;
  const $ = (id) => document.getElementById(id);
  const departmentsEl = $("complaints-departments");
  const departments = departmentsEl ? JSON.parse(departmentsEl.textContent) : {};

  let pareto = null;
  let trend = null;
  if (typeof echarts !== "undefined" && !window.echartsMissing) {
    pareto = echarts.init($("pareto-chart"), null, { renderer: "canvas" });
    trend = echarts.init($("trend-chart"), null, { renderer: "canvas" });
    window.addEventListener("resize", () => { pareto.resize(); trend.resize(); });
  } else {
    $("complaints-charts").hidden = true;
    $("complaints-chart-missing").hidden = false;
  }

  function label(kind, key) {
    if (key === "unspecified") return t("complaints.unspecified");
    if (kind === "cause" || kind === "group") {
      const name = "complaints." + kind + "." + key;
      const text = t(name);
      return text === name ? key : text;
    }
    if (kind === "department") return departments[key] || key;
    return key;
  }

  function hours(value) {
    return value === null || value === undefined ? t("common.none") : t("complaints.hours", { n: value.toFixed(1) });
  }

  function field(name, text) {
    const node = document.querySelector('#complaints-kpis [data-field="' + name + '"]');
    if (node) node.textContent = text;
  }

  function table(kind, rows, total) {
    const body = document.querySelector("#by-" + kind + " tbody");
    if (!rows.length) {
      body.replaceChildren(el("tr", {}, el("td", { colspan: 3, class: "muted" }, t("complaints.empty"))));
      return;
    }
    body.replaceChildren(...rows.map((r) => el("tr", { dataset: { key: r.key } },
      el("td", {}, label(kind, r.key)), el("td", { class: "num" }, count(r.count)),
      el("td", { class: "num" }, percent(total ? r.count / total : null)))));
  }

  function charts(data) {
    if (!pareto || !trend) return;
    const base = { animation: false, textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" }, tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0 } };
    pareto.setOption({
      ...base,
      grid: { left: 44, right: 48, top: 32, bottom: 40 },
      xAxis: { type: "category", data: data.pareto.map((b) => label("cause", b.key)), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: [
        { type: "value", minInterval: 1, name: t("complaints.count") },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      ],
      series: [
        { name: t("complaints.count"), type: "bar", data: data.pareto.map((b) => b.count), itemStyle: { color: "#1677d2" } },
        { name: t("complaints.cumulative"), type: "line", yAxisIndex: 1, data: data.pareto.map((b) => +(b.cumulative * 100).toFixed(1)), itemStyle: { color: "#d23b3b" }, symbolSize: 6 },
      ],
    }, true);
    trend.setOption({
      ...base,
      grid: { left: 44, right: 16, top: 32, bottom: 26 },
      xAxis: { type: "category", data: data.trend.map((d) => d.day) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: t("complaints.total"), type: "line", data: data.trend.map((d) => d.count), itemStyle: { color: "#1f9d55" }, areaStyle: { opacity: 0.15 } }],
    }, true);
  }

  function render(data) {
    field("total", count(data.total));
    field("resolved", t("complaints.resolved") + " " + count(data.resolve.resolved));
    field("median_working_h", hours(data.resolve.median_working_h));
    field("p90_working_h", hours(data.resolve.p90_working_h));
    field("median_calendar_h", hours(data.resolve.median_calendar_h));
    field("p90_calendar_h", hours(data.resolve.p90_calendar_h));
    field("reopened_share", percent(data.reopened_share));
    field("reopened", t("complaints.reopened_sub", { n: data.reopened }));
    table("cause", data.by_cause, data.total);
    table("product", data.by_product, data.total);
    table("department", data.by_department, data.total);
    table("group", data.by_group, data.total);
    charts(data);
  }

  async function load() {
    // the days are the hotline's: empty inputs take the server's default (the last 30 days
    // on the hotline's clock, which the demo runs ahead of the wall) and show it back
    const from = $("complaints-from");
    const to = $("complaints-to");
    const params = new URLSearchParams();
    if (from.value) params.set("from", from.value);
    if (to.value) params.set("to", to.value);
    const result = await api("GET", "/api/complaints/analysis?" + params.toString());
    if (!result.ok) {
      flash($("complaints-message"), "error", errorText(result));
      return;
    }
    flash($("complaints-message"), "", "");
    from.value = result.data.from;
    to.value = result.data.to;
    render(result.data);
  }

  $("complaints-period").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  load();
})();
