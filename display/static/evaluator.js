/* The evaluator pad (评价器): 1–5 stars for the ticket its window just finished. */
(function () {
  "use strict";
  var Q = Queuehall, esc = Q.esc;
  var LEVELS = [5, 4, 3, 2, 1];
  var REASONS = ["long_wait", "attitude", "not_explained", "not_resolved", "too_many_visits", "other"];
  var t = Q.t;  // the screens' words: display/words.py; levels and reasons: server labels
  var $ = function (id) { return document.getElementById(id); };
  var ticket = null, level = null, resetTimer = null;
  function show(which) { ["idle", "rate", "why", "thanks"].forEach(function (s) { $(s).hidden = s !== which; }); }
  function later(ms) { clearTimeout(resetTimer); resetTimer = setTimeout(function () { ticket = null; show("idle"); }, ms); }
  $("idle").textContent = t("evaluator.idle");
  $("why-prompt").textContent = t("evaluator.why");
  $("thanks").textContent = t("evaluator.thanks");
  function levelButton(l) {
    var stars = Q.el("span", {className: "face"},
                     ["★★★★★".slice(0, l), Q.el("span", {className: "off"}, "★★★★★".slice(l))]);
    return Q.el("button", {className: l < 3 ? "bad" : "", dataset: {level: l}},
                [stars, Q.label("evaluation_levels", String(l))]);
  }
  function reasonButton(r) {
    return Q.el("button", {dataset: {reason: r}}, Q.label("evaluation_reasons", r));
  }
  // The labels are the server's (as the reports name them): the buttons come once they are read.
  Q.labels().then(function () {
    Q.fill($("levels"), LEVELS.map(levelButton));
    Q.fill($("reasons"), REASONS.map(reasonButton));
  });
  function submit(reason) {
    Q.api("POST", "/sites/" + screen.site + "/tickets/" + ticket.id + "/evaluation",
          {level: level, reason: reason || null})
      .then(function () { return 200; }, function (e) { return e.status; })
      .then(function (status) { screen.lastSubmit = status; show("thanks"); later(4000); });
  }
  $("levels").addEventListener("click", function (ev) {
    var b = ev.target.closest("button"); if (!b || !ticket) return;
    level = Number(b.dataset.level);
    if (level < 3) { show("why"); later(60000); } else submit(null);
  });
  $("reasons").addEventListener("click", function (ev) {
    var b = ev.target.closest("button"); if (b && ticket) submit(b.dataset.reason);
  });
  function render(state, conn) {
    $("clock").textContent = new Date().toLocaleTimeString(Q.locale(), {hour: "2-digit", minute: "2-digit"});
    $("status").textContent = conn === "offline" ? t("offline") : "";
    if (conn === "no_token") { $("main").innerHTML = '<p class="message">' + esc(t("evaluator.notoken")) + "</p>"; return; }
    if (screen.screen) $("title").textContent = t("evaluator.title", {n: screen.screen.window});
  }
  var screen = new QueuehallScreen("evaluator", render, function () { return false; });
  screen.onEvent_ = function (ev) {
    if (ev.type === "finished" && screen.screen && ev.window === screen.screen.window) {
      ticket = {id: ev.ticket_id, number: ev.number};
      $("prompt").textContent = t("evaluator.prompt", {n: ev.number});
      show("rate"); later(60000);
    }
  };
  window.evaluatorPad = screen;
  show("idle");
  screen.start();
})();
