// The phone page behind a ticket's QR code (no login, no personal data; only the unguessable
// status token identifies the ticket). Live: every event of the hall (a call, a finish…) makes
// it read the ticket's status again; without a socket it polls every 3 s.
(function () {
  "use strict";
  var lang = document.body.dataset.lang, token = document.body.dataset.token;
  var STATE = {
    zh: { waiting: "等候中", called: "已叫号", serving: "办理中", done: "已办结", no_show: "已过号",
          suspended: "已挂起", transferred: "已转办", cancelled: "已取消", expired: "已过期" },
    en: { waiting: "Waiting", called: "Called", serving: "Being served", done: "Done", no_show: "Missed (no-show)",
          suspended: "On hold", transferred: "Transferred", cancelled: "Cancelled", expired: "Expired" }
  }[lang];
  function $(id) { return document.getElementById(id); }
  function say(zh, en) { return lang === "zh" ? zh : en; }

  function render(s) {
    $("site").textContent = lang === "zh" ? s.site.name_zh : (s.site.name_en || s.site.name_zh);
    $("category").textContent = lang === "zh" ? s.category.name_zh : (s.category.name_en || s.category.name_zh);
    $("number").textContent = s.number;
    $("state").textContent = STATE[s.status] || s.status;
    $("state").className = "state " + s.status;
    document.body.dataset.status = s.status;
    var called = (s.status === "called" || s.status === "serving") && s.window;
    $("call").hidden = !called;
    if (called) $("call").textContent = say("请到 " + s.window + " 号窗口办理", "Please go to window " + s.window);
    $("facts").hidden = s.status !== "waiting";
    $("ahead").textContent = s.people_ahead == null ? "–" : s.people_ahead;
    var w = s.estimated_wait_minutes;
    $("wait").textContent = !s.people_ahead ? say("无需等待", "No wait") : !w ? "–"
      : (w.low === w.high ? w.low : w.low + "–" + w.high) + say(" 分钟", " min");
    $("location").textContent = s.location ? say("办理地点：", "Where: ") + s.location : "";
    var now = new Date();
    $("updated").textContent = say("自动更新，最近更新 ", "Updates by itself; last update ") +
      now.toLocaleTimeString(lang === "zh" ? "zh-CN" : "en-GB");
  }

  function poll() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    clearTimeout(timer);
    var controller = new AbortController();
    var abortTimer = setTimeout(function () { controller.abort(); }, 8000);
    fetch("/api/v1/tickets/" + encodeURIComponent(token),
          { headers: { "Accept-Language": lang }, signal: controller.signal, cache: "no-store" })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (r) {
        clearTimeout(abortTimer);
        if (r.ok) { render(r.body); $("updated").classList.remove("error"); }
        else { $("number").textContent = "—"; $("updated").textContent = r.body.error ? r.body.error.message : ""; $("updated").classList.add("error"); }
      }, function () {
        clearTimeout(abortTimer);
        $("updated").textContent = say("网络不通，正在重试…", "No connection, retrying…");
        $("updated").classList.add("error");
      })
      .then(function () {
        inFlight = false;
        if (again) { again = false; poll(); } else { timer = setTimeout(poll, live ? 30000 : 3000); }
      });
  }

  var live = false, timer = null, pending = false, inFlight = false, again = false;
  function refreshSoon() {  // at most one status read per second, however busy the hall
    if (pending) return;
    pending = true;
    setTimeout(function () { pending = false; poll(); }, 1000);
  }
  if (window.io) {
    var socket = io({ auth: { ticket: token }, transports: ["websocket", "polling"] });
    socket.on("connect", function () { live = true; document.body.dataset.live = "1"; refreshSoon(); });
    socket.on("disconnect", function () { live = false; document.body.dataset.live = "0"; });
    socket.on("event", refreshSoon);
  }
  poll();
})();
