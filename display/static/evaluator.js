/* The evaluator pad (评价器): 1–5 stars for the ticket its window just finished. */
(function () {
  "use strict";
  var Q = Queuehall, esc = Q.esc;
  var LEVELS = [5, 4, 3, 2, 1];
  var REASONS = ["long_wait", "attitude", "not_explained", "not_resolved", "too_many_visits", "other"];
  var T = Q.words({
    zh: {idle: "欢迎您，请在办结后评价", prompt: function (n) { return "请对 " + n + " 号的本次服务评价"; },
         5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意",
         why: "请告诉我们不满意的原因", thanks: "感谢您的评价！", win: function (n) { return n + "号窗口 评价器"; },
         long_wait: "等候时间长", attitude: "服务态度差", not_explained: "解释不清楚",
         not_resolved: "事项未办成", too_many_visits: "多次跑腿", other: "其他",
         offline: "连接中断，正在重连…", notoken: "请用设备令牌打开本页：/display/evaluator#token=…"},
    en: {idle: "Welcome. Please rate us when your matter is done", prompt: function (n) { return "How was the service for " + n + "?"; },
         5: "Very satisfied", 4: "Satisfied", 3: "Acceptable", 2: "Dissatisfied", 1: "Very dissatisfied",
         why: "Please tell us what went wrong", thanks: "Thank you for your rating!", win: function (n) { return "Window " + n + " rating pad"; },
         long_wait: "Long wait", attitude: "Unfriendly staff", not_explained: "Not explained clearly",
         not_resolved: "Matter not resolved", too_many_visits: "Had to come back again", other: "Other",
         offline: "Connection lost, reconnecting…", notoken: "Open this page with its device token: /display/evaluator#token=…"}});
  var $ = function (id) { return document.getElementById(id); };
  var ticket = null, level = null, resetTimer = null;
  function show(which) { ["idle", "rate", "why", "thanks"].forEach(function (s) { $(s).hidden = s !== which; }); }
  function later(ms) { clearTimeout(resetTimer); resetTimer = setTimeout(function () { ticket = null; show("idle"); }, ms); }
  $("idle").textContent = T("idle"); $("why-prompt").textContent = T("why"); $("thanks").textContent = T("thanks");
  $("levels").innerHTML = LEVELS.map(function (l) {
    var stars = '<span class="face">' + "★★★★★".slice(0, l) + '<span class="off">' + "★★★★★".slice(l) + "</span></span>";
    return '<button data-level="' + l + '" class="' + (l < 3 ? "bad" : "") + '">' + stars + esc(T(String(l))) + "</button>";
  }).join("");
  $("reasons").innerHTML = REASONS.map(function (r) {
    return '<button data-reason="' + r + '">' + esc(T(r)) + "</button>";
  }).join("");
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
    $("status").textContent = conn === "offline" ? T("offline") : "";
    if (conn === "no_token") { $("main").innerHTML = '<p class="message">' + esc(T("notoken")) + "</p>"; return; }
    if (screen.screen) $("title").textContent = T("win", screen.screen.window);
  }
  var screen = new QueuehallScreen("evaluator", render, function () { return false; });
  screen.onEvent_ = function (ev) {
    if (ev.type === "finished" && screen.screen && ev.window === screen.screen.window) {
      ticket = {id: ev.ticket_id, number: ev.number};
      $("prompt").textContent = T("prompt", ev.number);
      show("rate"); later(60000);
    }
  };
  window.evaluatorPad = screen;
  show("idle");
  screen.start();
})();
