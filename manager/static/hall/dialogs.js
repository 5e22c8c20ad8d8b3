/* The rebalancing dialogs: a window's state and categories, a category's B posts, daily cap and
   waiting tickets. Each posts to the API and shows its answer or its error; the server decides. */
import {C, S, t, el, state, catList, windowName, windowState} from "./state.js";

const $ = C.$;
const current = {window: null, category: null};
let load = null, rerender = null;

function message(prefix, err, done) {
  C.showError(err, $(prefix + "-dialog-error"));
  const ok = $(prefix + "-dialog-done");
  ok.hidden = !done;
  ok.textContent = done || "";
}
const codeAndName = (c) => c.prefix + " " + C.name(c);

/* ---- a window ---- */
function box(name, code, checked) {
  return el("td", {}, el("input", {type: "checkbox", name, value: code, checked}));
}
function fillWindow(w) {
  const cats = t("categories_ab", {a: catList(w.a_categories) || t("none"),
                                   b: catList(w.b_categories) || t("none")});
  $("window-dialog-state").textContent = windowState(w) + "　" + cats;
  $("window-categories").querySelector("tbody").replaceChildren(...state.categories.map((c) =>
    el("tr", {}, [el("td", {}, codeAndName(c)), box("a", c.code, w.a_categories.includes(c.code)),
                  box("b", c.code, w.b_categories.includes(c.code))])));
}
export function openWindowDialog(number) {
  const w = state.windows.find((x) => x.number === number);
  if (!w) return;
  current.window = number;
  $("window-dialog-title").textContent = t("adjust_title", {what: windowName(w)});
  fillWindow(w);
  message("window", null, null);
  $("window-dialog").showModal();
}
function windowAct(path, payload) {
  return C.api("POST", S + "/windows/" + current.window + path, payload).then((view) => {
    if (view && view.number === current.window) {
      state.windows = state.windows.map((x) => (x.number === view.number ? view : x));
      fillWindow(view);
      rerender({windows: 1, categories: 1});
    }
    message("window", null, t("saved"));
    load({windows: 1, categories: 1, audit: 1});
  }, (e) => message("window", e, null));
}
function picked(name) {
  const boxes = document.querySelectorAll(`#window-categories input[name="${name}"]:checked`);
  return Array.from(boxes, (i) => i.value);
}

/* ---- a category ---- */
function fillCategory(c) {
  const mode = c.backup_override === true ? "on" : c.backup_override === false ? "off" : "auto";
  document.querySelector(`#category-form input[name="backup"][value="${mode}"]`).checked = true;
  $("daily-cap").value = c.daily_cap;
  $("issued-today").textContent = t("issued_of_cap", {issued: c.issued_today, cap: c.daily_cap});
}
export function openCategoryDialog(code) {
  const c = state.categories.find((x) => x.code === code);
  if (!c) return;
  current.category = code;
  $("category-dialog-title").textContent = t("adjust_title", {what: codeAndName(c)});
  fillCategory(c);
  $("move-count").value = "";
  $("move-to").replaceChildren(...state.categories.filter((x) => x.code !== code)
    .map((x) => el("option", {value: x.code}, codeAndName(x))));
  message("category", null, null);
  $("category-dialog").showModal();
}
function categoryAct(path, payload, doneText) {
  const code = current.category;
  const url = S + "/categories/" + encodeURIComponent(code) + path;
  return C.api("POST", url, payload).then((r) => {
    message("category", null, doneText(r));
    return load({categories: 1, windows: 1, stats: 1, audit: 1}).then(() => {
      const c = state.categories.find((x) => x.code === code);
      if (c) fillCategory(c);
    });
  }, (e) => message("category", e, null));
}
function moved(r) {
  const numbers = r.numbers && r.numbers.length ? r.numbers.join(t("sep")) : null;
  return numbers ? t("moved_numbers", {n: r.moved, numbers}) : t("moved_n", {n: r.moved});
}
const numberOrNull = (raw) => (raw.trim() === "" ? null : Number(raw.trim()));
const saved = () => t("saved");

/* Wire the dialogs' buttons; `reload(what)` re-reads parts, `redraw(what)` shows them again. */
export function wireDialogs(reload, redraw) {
  load = reload;
  rerender = redraw;
  document.querySelectorAll("#window-form [data-state]").forEach((b) => {
    b.addEventListener("click", () => {
      const act = b.dataset.state;
      if (act !== "pause") return windowAct("/" + act, {});
      const reason = $("pause-other").value.trim() || $("pause-reason").value;
      return windowAct("/pause", {reason});
    });
  });
  $("save-categories").addEventListener("click", () => {
    windowAct("/categories", {a: picked("a"), b: picked("b")});
  });
  $("save-backup").addEventListener("click", () => {
    const mode = document.querySelector('#category-form input[name="backup"]:checked').value;
    const override = mode === "on" ? true : mode === "off" ? false : null;
    categoryAct("/backup", {override}, saved);
  });
  $("save-cap").addEventListener("click", () => {
    categoryAct("/daily-cap", {daily_cap: numberOrNull($("daily-cap").value)}, saved);
  });
  $("move-waiting").addEventListener("click", () => {
    const payload = {to: $("move-to").value, count: numberOrNull($("move-count").value)};
    categoryAct("/move-waiting", payload, moved);
  });
}
