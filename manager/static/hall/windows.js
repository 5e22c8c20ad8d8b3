/* The windows panel: a card per window with its state, posts, current ticket and categories. */
import {C, t, el, state, catName, catList, windowName, windowState} from "./state.js";

function posts(w) {
  return ["A", "B"].map((post) => {
    const who = w.posts.find((x) => x.post === post);
    return el("span", {className: "post" + (who ? "" : " empty")},
              [el("b", {}, post), " " + (who ? who.name : t("post_empty"))]);
  });
}
function current(w) {
  const c = w.current;
  if (!c) return el("div", {className: "current idle"}, w.state === "open" ? t("idle") : "");
  const from = c.status === "serving" ? c.started_at : c.called_at;
  const status = C.label("ticket_statuses", c.status) + " · " + catName(c.category.code);
  return el("div", {className: "current " + c.status}, [
    el("span", {className: "ticket"}, c.number),
    el("span", {className: "status"}, status),
    el("span", {className: "timer", dataset: {since: from || ""}}),
  ]);
}
function categories(w) {
  const a = catList(w.a_categories), b = catList(w.b_categories);
  return el("div", {className: "cats"}, [
    el("span", {title: a}, "A " + (a || t("none"))),
    w.b_categories.length ? el("span", {className: "b", title: b}, "B " + b) : null,
  ]);
}
function card(w) {
  const since = w.state !== "closed"
    ? el("span", {className: "since muted", dataset: {stateSince: w.state_since || ""}}) : null;
  const adjust = el("button", {type: "button", className: "small",
                               dataset: {adjustWindow: w.number}}, t("adjust"));
  return el("article", {className: "window " + w.state, dataset: {window: w.number}}, [
    el("header", {}, [el("h3", {}, windowName(w)), since,
                      el("span", {className: "badge " + w.state}, windowState(w))]),
    el("div", {className: "posts"}, [...posts(w), adjust]),
    current(w),
    el("footer", {}, categories(w)),
  ]);
}

export function renderWindows() {
  const open = state.windows.filter((w) => w.state === "open").length;
  C.$("window-count").textContent = open + " / " + state.windows.length;
  C.$("windows").replaceChildren(...state.windows.map(card));
}
