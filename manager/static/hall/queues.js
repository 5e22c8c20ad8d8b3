/* The queues panel: one row per category, coloured by how its wait stands against its target
   (the server's wait_level, domain/estimate.py). */
import {C, t, el, state} from "./state.js";

const LEVELS = {over: "bad", near: "warn"};

function statRow(code) {
  return state.stats ? state.stats.categories.find((r) => r.category === code) : null;
}
function openWindowsFor(code) {
  return state.windows.filter((w) => w.state === "open" && w.a_categories.includes(code)).length;
}
function estimate(est) {
  if (!est) return "—";
  return est.low === est.high ? C.minutes(est.low) : est.low + "–" + C.minutes(est.high);
}
function backup(override) {
  if (override === true) return el("span", {className: "tag on"}, t("forced_on"));
  if (override === false) return el("span", {className: "tag off"}, t("forced_off"));
  return el("span", {className: "muted"}, t("auto"));
}
function num(text, extra) {
  return el("td", {className: "num" + (extra ? " " + extra : "")}, String(text));
}

function row(c) {
  const s = statRow(c.code), lv = LEVELS[c.wait_level] || "ok";
  const p90 = s && s.p90_wait_minutes != null ? C.duration(s.p90_wait_minutes * 60) : "—";
  const oldest = num(c.waiting ? C.duration(c.oldest_wait_seconds) : "—", "oldest");
  if (c.waiting) oldest.dataset.oldest = c.oldest_wait_seconds;
  return el("tr", {className: "lv-" + lv, dataset: {category: c.code}}, [
    el("td", {className: "cat"}, [
      el("i", {className: "dot " + lv}), el("b", {}, c.prefix), " " + C.name(c),
      ...(c.available ? [] : [" ", el("span", {className: "tag off"}, t("not_issuing"))]),
    ]),
    num(c.waiting, "big waiting"),
    oldest,
    num(estimate(c.estimated_wait_minutes)),
    num(C.duration(c.wait_target_minutes * 60)),
    num(c.issued_today + " / " + c.daily_cap),
    num(s ? s.served : "—"),
    num(p90),
    el("td", {className: "backup"}, backup(c.backup_override)),
    num(openWindowsFor(c.code)),
    el("td", {}, el("button", {type: "button", className: "small",
                               dataset: {adjustCategory: c.code}}, t("adjust"))),
  ]);
}

export function renderQueues() {
  C.$("categories").querySelector("tbody").replaceChildren(...state.categories.map(row));
}
