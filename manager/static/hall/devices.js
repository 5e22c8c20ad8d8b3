/* The devices panel: kiosks and screens, online or not, and a kiosk's printer. */
import {C, t, el, state, printerStatus} from "./state.js";

const PRINTER_OK = ["online", "ok", "unknown"];

function item(d) {
  const p = d.printer, bad = !d.online || (p && !PRINTER_OK.includes(p.status));
  const health = t(d.online ? "device_online" : "device_offline") +
    (p ? " · " + printerStatus(p.status) : "");
  const seen = d.last_seen ? t("last_seen_at", {at: C.clockTime(d.last_seen)}) : t("never_seen");
  return el("li", {className: "device " + (bad ? "bad" : "ok"), dataset: {device: d.code}}, [
    el("i", {className: "dot " + (d.online ? "ok" : "bad")}),
    el("span", {className: "name"}, d.name || d.code),
    el("span", {className: "kind muted"}, C.label("device_kinds", d.kind)),
    el("span", {className: "health"}, health),
    el("span", {className: "seen muted"}, seen),
  ]);
}

export function renderDevices() {
  const items = (state.devices || []).map(item);
  C.$("devices").replaceChildren(...(items.length ? items
    : [el("li", {className: "muted"}, t("no_devices"))]));
}
