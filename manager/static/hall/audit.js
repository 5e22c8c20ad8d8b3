/* The recent actions panel (操作记录): who did what, newest first; "changes only" leaves out
   the ticket traffic and keeps what people changed in the hall's set-up. */
import {C, t, el, state, catName, catList, byName, printerStatus} from "./state.js";

const CHANGES = /^(rebalanced|window_|post_|alert_acknowledged)/;
const win = (n) => t("window_n", {n});

/* A rebalancing's change (service/rebalance.py) in a sentence. */
const CHANGE = {
  window_categories: (e) => e.new.b.length
    ? t("change.categories_b", {a: catList(e.new.a), b: catList(e.new.b)})
    : t("change.categories", {a: catList(e.new.a)}),
  backup_override: (e) => t({true: "change.backup_on", false: "change.backup_off"}[e.new]
    || "change.backup_auto", {category: catName(e.category)}),
  daily_cap: (e) => t("change.daily_cap", {category: catName(e.category), old: e.old, new: e.new}),
  move_waiting: (e) => t("change.move_waiting", {category: catName(e.category), moved: e.moved,
                                                 to: catName(e.to_category)}),
};

function describe(e) {
  const parts = [];
  if (e.window != null) parts.push(win(e.window));
  if (e.type === "rebalanced" && CHANGE[e.change]) {
    try {
      return parts.concat(CHANGE[e.change](e)).join(" ");
    } catch (x) { /* an unexpected change: say what is known */ }
  }
  if (/^alert_/.test(e.type)) {
    parts.push(e.kind ? C.label("alerts", e.kind) : "");
    if (e.subject) parts.push(/^\d+$/.test(e.subject) ? win(e.subject) : catName(e.subject));
  }
  if (e.number) parts.push(e.number);
  if (e.category && !e.number) parts.push(catName(e.category));
  if (e.reason && e.type === "window_paused") parts.push(e.reason);
  if (e.type === "transferred" && e.to_category) parts.push("→ " + catName(e.to_category));
  if (e.type === "transferred" && e.to_window) parts.push("→ " + win(e.to_window));
  if (e.type === "printer_status") parts.push((e.printer || "") + " " + printerStatus(e.status));
  return parts.join(" ");
}

function item(e) {
  return el("li", {dataset: {seq: e.seq}}, [
    el("time", {}, C.clockTime(e.at)),
    el("span", {className: "by"}, byName(e.by)),
    el("span", {className: "act"}, C.label("events", e.type)),
    el("span", {className: "obj"}, describe(e)),
  ]);
}

export function renderAudit() {
  let list = Array.isArray(state.audit) ? state.audit : [];
  if (state.changesOnly) list = list.filter((e) => CHANGES.test(e.type));
  const items = list.slice(0, 50).map(item);
  C.$("audit").replaceChildren(...(items.length ? items
    : [el("li", {className: "muted"}, t("no_audit"))]));
}
