/* The live hall (实时大厅): queues, windows, alerts, devices and recent actions of one site,
   re-read from /api/v1 when the site's Socket.IO events say something changed; each panel is
   its own module. */
import {C, S, state} from "./state.js";
import {renderQueues} from "./queues.js";
import {renderWindows} from "./windows.js";
import {renderAlerts} from "./alerts.js";
import {renderDevices} from "./devices.js";
import {renderAudit} from "./audit.js";
import {renderSummary} from "./summary.js";
import {openCategoryDialog, openWindowDialog, wireDialogs} from "./dialogs.js";

const ALL = {categories: 1, windows: 1, stats: 1, alerts: 1, devices: 1, audit: 1};
const get = (path) => C.api("GET", S + path);
const READ = {
  categories: () => get("/categories").then((c) => {
    state.categories = c;
    state.categoriesAt = C.now();
  }),
  windows: () => get("/windows").then((w) => { state.windows = w; }),
  stats: () => get("/stats/today").then((s) => { state.stats = s; }),
  alerts: () => get("/alerts" + (state.history ? "" : "?open=1"))
    .then((a) => { state.alerts = a; }),
  devices: () => get("/devices").then((d) => { state.devices = d; }),
  audit: () => get("/audit?limit=" + (state.changesOnly ? 300 : 50))
    .then((a) => { state.audit = a; }),
};

/* Each part renders with what it got; the first failure (the API's message) shows on top. */
function load(what) {
  const errors = [];
  const jobs = [C.labels].concat(Object.keys(READ).filter((k) => what[k]).map((k) => READ[k]()));
  return Promise.all(jobs.map((job) => job.catch((e) => { errors.push(e); })))
    .then(() => {
      C.showError(errors[0] || null);
      render(what);
    });
}

function render(what) {
  if (what.categories || what.stats || what.windows) renderQueues();
  if (what.windows) {
    renderWindows();
    tickTimers();
  }
  if (what.alerts) renderAlerts();
  if (what.devices) renderDevices();
  if (what.audit) renderAudit();
  renderSummary();
}

/* Which parts an event changes; anything unknown re-reads everything. */
const TICKET = ["issued", "called", "recalled", "started", "finished", "no_show", "transferred",
                "suspended", "resumed", "reinstated", "cancelled", "expired", "evaluated"];
function touched(events, full) {
  if (full) return ALL;
  const what = {audit: 1};
  events.forEach(({type}) => {
    if (TICKET.includes(type)) Object.assign(what, {categories: 1, windows: 1, stats: 1});
    else if (/^window_|^post_/.test(type)) Object.assign(what, {windows: 1, categories: 1});
    else if (/^alert_/.test(type)) what.alerts = 1;
    else if (type === "printer_status") what.devices = 1;
    else if (/^appointment_/.test(type)) Object.assign(what, {categories: 1, stats: 1});
    else Object.assign(what, ALL);
  });
  return what;
}

/* The served-for timers, state-since lines and oldest waits tick here between refreshes. */
function tickTimers() {
  const read = (C.now() - state.categoriesAt) / 1000;
  document.querySelectorAll("[data-oldest]").forEach((node) => {
    node.textContent = C.duration(Number(node.dataset.oldest) + read);
  });
  document.querySelectorAll("[data-since]").forEach((node) => {
    const s = C.since(node.dataset.since);
    node.textContent = s == null ? "" : C.duration(s);
  });
  document.querySelectorAll("[data-state-since]").forEach((node) => {
    const since = node.dataset.stateSince;
    node.textContent = since ? C.t("for_duration", {d: C.duration(C.since(since))}) : "";
  });
}
setInterval(tickTimers, 1000);

function acknowledge(button) {
  button.disabled = true;
  const url = S + "/alerts/" + encodeURIComponent(button.dataset.ack) + "/acknowledge";
  C.api("POST", url, {}).then(() => load({alerts: 1, audit: 1}), (e) => {
    button.disabled = false;
    C.showError(e);
  });
}
document.addEventListener("click", ({target}) => {
  const data = target.dataset || {};
  if (data.adjustWindow) openWindowDialog(Number(data.adjustWindow));
  else if (data.adjustCategory) openCategoryDialog(data.adjustCategory);
  else if (data.ack) acknowledge(target);
});
C.$("audit-changes").addEventListener("change", (ev) => {
  state.changesOnly = ev.target.checked;
  load({audit: 1});
});
C.$("alert-history").addEventListener("change", (ev) => {
  state.history = ev.target.checked;
  load({alerts: 1});
});
wireDialogs(load, render);

const live = C.feed(C.site, (events, full) => {
  if (full) state.resyncs += 1;
  load(touched(events, full));
});
// Waits grow and devices report in without events: read those again now and then, so the
// colours against the target and the device health stay true in a quiet hall.
setInterval(() => load({categories: 1, devices: 1}), 30000);
window.managerHall = {state, live, reload: () => load(ALL)};
