/* The alerts panel (电子监察告警): open before cleared, critical before warning, each alert's
   detail in a sentence, and the button that acknowledges it. */
import {C, t, el, state, catName, byName, printerStatus} from "./state.js";

function severity(a) {
  return (a.detail && a.detail.level) || "critical";
}
function rank(a) {
  return [a.cleared_at ? 1 : 0, severity(a) === "critical" ? 0 : 1, a.acknowledged_at ? 1 : 0];
}
function alertOrder(a, b) {
  const ra = rank(a), rb = rank(b);
  const differ = ra.findIndex((r, i) => r !== rb[i]);
  return differ >= 0 ? ra[differ] - rb[differ] : Date.parse(b.raised_at) - Date.parse(a.raised_at);
}
const windowsOr = (list) => list.join(t("sep")) || t("none");

/* The words of each kind's detail (domain/alerts.py); a kind without its own shows raw. */
const SENTENCES = {
  wait_over_target: (d) => t("alert.wait_over_target", {
    category: catName(d.category), waiting: d.waiting, oldest: d.oldest_wait_minutes,
    target: d.target_minutes}),
  window_paused_too_long: (d) => t(
    d.reason ? "alert.window_paused_too_long_reason" : "alert.window_paused_too_long",
    {window: t("window_n", {n: d.window}), paused: d.paused_minutes, reason: d.reason,
     limit: d.limit_minutes}),
  a_post_absent: (d) => t(
    d.backup_forced_off ? "alert.a_post_absent_forced_off" : "alert.a_post_absent",
    {category: catName(d.category), waiting: d.waiting}),
  printer_fault: (d) => t("alert.printer_fault", {printer: d.printer,
                                                  status: printerStatus(d.status)}),
  screen_offline: (d) => d.last_seen
    ? t("alert.screen_offline", {screen: d.name || d.device, at: C.clockTime(d.last_seen)})
    : t("alert.screen_never", {screen: d.name || d.device}),
  ticket_not_printed: (d) => t("alert.ticket_not_printed", {number: d.number,
                                                            printer: d.printer}),
  no_effective_cover: (d) => t("alert.no_effective_cover", {
    category: catName(d.category), horizon: d.horizon_minutes, arrivals: d.arrivals_per_hour,
    needed: d.windows_needed, effective: d.effective_windows, a: windowsOr(d.a_windows),
    b: windowsOr(d.b_windows), waiting: d.waiting}),
};
function alertText(a) {
  const d = a.detail || {}, say = SENTENCES[a.kind];
  try {
    if (say) return say(d);
  } catch (e) { /* an unexpected detail: show it raw */ }
  const raw = Object.keys(d).map((k) => k + t("colon") + d[k]).join(t("sep"));
  return a.subject + " " + raw;
}

function meta(a) {
  const parts = [t("raised_at", {at: C.clockTime(a.raised_at)})];
  if (a.cleared_at) parts.push(" · " + t("cleared_at", {at: C.clockTime(a.cleared_at)}));
  if (a.acknowledged_at) {
    const by = t("acked_by", {who: byName(a.acknowledged_by), at: C.clockTime(a.acknowledged_at)});
    parts.push(" · ", el("span", {className: "acked-by"}, by));
  }
  return el("div", {className: "meta muted"}, parts);
}
function item(a) {
  const lv = severity(a), seen = a.cleared_at ? "cleared" : a.acknowledged_at ? "acked" : "new";
  const ack = a.acknowledged_at ? null
    : el("button", {type: "button", className: "small", dataset: {ack: a.id}}, t("acknowledge"));
  return el("li", {className: "alert " + seen + " " + lv, dataset: {alert: a.id, level: lv}}, [
    el("div", {className: "what"}, [
      el("span", {className: "level " + lv}, C.label("alert_levels", lv)), " ",
      el("b", {}, C.label("alerts", a.kind))]),
    el("div", {className: "detail"}, alertText(a)),
    meta(a),
    ack,
  ]);
}

export function renderAlerts() {
  const list = state.alerts || [];
  const open = list.filter((a) => !a.cleared_at);
  const unseen = open.filter((a) => !a.acknowledged_at).length;
  C.$("alert-count").textContent = open.length && unseen ? String(unseen) : "";
  const items = list.slice().sort(alertOrder).map(item);
  C.$("alerts").replaceChildren(...(items.length ? items
    : [el("li", {className: "muted"}, t("no_alerts"))]));
}
