/* The evaluator pad (评价器): 1–5 stars for the ticket its window just finished. */
(function () {
  var zh = document.documentElement.lang === "zh-CN";
  var T = zh ? {idle: "欢迎您，请在办结后评价", prompt: function (n) { return "请对 " + n + " 号的本次服务评价"; },
                levels: {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"},
                why: "请告诉我们不满意的原因", thanks: "感谢您的评价！", win: function (n) { return n + "号窗口 评价器"; },
                reasons: {long_wait: "等候时间长", attitude: "服务态度差", not_explained: "解释不清楚",
                          not_resolved: "事项未办成", too_many_visits: "多次跑腿", other: "其他"},
                offline: "连接中断，正在重连…", notoken: "请用设备令牌打开本页：/display/evaluator#token=…"}
             : {idle: "Welcome. Please rate us when your matter is done", prompt: function (n) { return "How was the service for " + n + "?"; },
                levels: {5: "Very satisfied", 4: "Satisfied", 3: "Acceptable", 2: "Dissatisfied", 1: "Very dissatisfied"},
                why: "Please tell us what went wrong", thanks: "Thank you for your rating!", win: function (n) { return "Window " + n + " rating pad"; },
                reasons: {long_wait: "Long wait", attitude: "Unfriendly staff", not_explained: "Not explained clearly",
                          not_resolved: "Matter not resolved", too_many_visits: "Had to come back again", other: "Other"},
                offline: "Connection lost, reconnecting…", notoken: "Open this page with its device token: /display/evaluator#token=…"};
  var $ = function (id) { return document.getElementById(id); };
  var ticket = null, level = null, resetTimer = null;
  function show(which) { ["idle", "rate", "why", "thanks"].forEach(function (s) { $(s).hidden = s !== which; }); }
  function later(ms) { clearTimeout(resetTimer); resetTimer = setTimeout(function () { ticket = null; show("idle"); }, ms); }
  $("idle").textContent = T.idle; $("why-prompt").textContent = T.why; $("thanks").textContent = T.thanks;
  $("levels").innerHTML = [5, 4, 3, 2, 1].map(function (l) {
    return '<button data-level="' + l + '" class="' + (l < 3 ? "bad" : "") + '"><span class="face">' + "★★★★★".slice(0, l) + '<span class="off">' + "★★★★★".slice(l) + "</span></span>" + T.levels[l] + "</button>"; }).join("");
  $("reasons").innerHTML = Object.keys(T.reasons).map(function (r) {
    return '<button data-reason="' + r + '">' + T.reasons[r] + "</button>"; }).join("");
  function submit(reason) {
    fetch("/api/v1/sites/" + screen.site + "/tickets/" + ticket.id + "/evaluation", {
      method: "POST", headers: {"Content-Type": "application/json", "Authorization": "Bearer " + screen.token},
      body: JSON.stringify({level: level, reason: reason || null})
    }).then(function (r) { screen.lastSubmit = r.status; show("thanks"); later(4000); });
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
    $("clock").textContent = new Date().toLocaleTimeString(zh ? "zh-CN" : "en-GB", {hour: "2-digit", minute: "2-digit"});
    $("status").textContent = conn === "offline" ? T.offline : "";
    if (conn === "no_token") { $("main").innerHTML = '<p class="message">' + T.notoken + "</p>"; return; }
    if (screen.screen) $("title").textContent = T.win(screen.screen.window);
  }
  var screen = new QueuehallScreen("evaluator", render, function () { return false; });
  screen.onEvent_ = function (ev) {
    if (ev.type === "finished" && screen.screen && ev.window === screen.screen.window) {
      ticket = {id: ev.ticket_id, number: ev.number};
      $("prompt").textContent = T.prompt(ev.number);
      show("rate"); later(60000);
    }
  };
  window.evaluatorPad = screen;
  show("idle");
  screen.start();
})();
