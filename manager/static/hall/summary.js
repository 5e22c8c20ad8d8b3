/* The day at a glance: today's figures, open windows and alerts not yet seen to (also in the
   tab's title, so they show from another tab). */
import {C, t, el, state} from "./state.js";

const title = document.title;

function kpi(code, label, value, extra) {
  return el("div", {className: "kpi kpi-" + code + (extra.bad ? " bad" : ""), title: extra.title},
            [el("span", {}, label), el("b", {}, value == null ? "—" : String(value))]);
}

export function renderSummary() {
  const s = state.stats ? state.stats.totals : {};
  const open = state.windows.filter((w) => w.state === "open").length;
  const alerts = Array.isArray(state.alerts)
    ? state.alerts.filter((a) => !a.cleared_at && !a.acknowledged_at).length : null;
  document.title = (alerts ? "(" + alerts + ") " : "") + title;
  // 达标率 as the day's report defines it (domain/stats.target_outcome): over-target
  // waiters count
  const share = s.within_target_share == null ? null
    : Math.round(s.within_target_share * 100) + "%";
  const counted = s.within_target == null ? null
    : s.within_target + " / " + (s.within_target + s.over_target);
  C.$("summary").replaceChildren(
    kpi("issued", t("summary.issued"), s.issued, {}),
    kpi("served", t("summary.served"), s.served, {}),
    kpi("waiting", t("summary.waiting"), s.waiting, {}),
    kpi("no_show", t("summary.no_show"), s.no_show, {}),
    kpi("on_target", t("summary.on_target"), share, {title: counted}),
    kpi("open", t("summary.open"), open + " / " + state.windows.length, {}),
    kpi("alerts", t("summary.alerts"), alerts, {bad: alerts}),
  );
}
