/* The live hall's state, read from /api/v1 (main.js), and the names every panel shows. */
export const C = window.managerConsole;
export const {t, el} = C;
export const S = "/sites/" + encodeURIComponent(C.site);

export const state = {
  categories: [], windows: [], stats: null, alerts: null, devices: null, audit: null,
  history: false, changesOnly: false, resyncs: 0, categoriesAt: 0,
};

export function catName(code) {
  const c = state.categories.find((x) => x.code === code);
  return c ? C.name(c) : code;
}
export function catList(codes) {
  return codes.map(catName).join(t("sep"));
}
export function windowName(w) {
  const title = t("window_n", {n: w.number}), name = C.name(w);
  return title + (name && name !== title ? " · " + name : "");
}
/* A window's state, with the pause's reason. */
export function windowState(w) {
  const reason = w.state === "paused" && w.pause_reason;
  return C.label("window_states", w.state) + (reason ? t("colon") + reason : "");
}
export function printerStatus(code) {
  return C.label("printer_states", code);
}
/* Who did something: a person's name, a device, or the system. */
export function byName(by) {
  if (!by) return t("by_system");
  if (typeof by === "string") return by;
  return by.name || t(by.kind === "device" ? "by_device" : "by_system");
}
