// The phone page behind a ticket's QR code (no login, no personal data; only the unguessable
// status token identifies the ticket).
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

  // Live: the server pushes this ticket's own changes (nothing of other tickets or staff), each
  // with the hall's event number so an older push never overwrites a newer read. Without a
  // socket: a poll every 15 s, answered 304 while nothing changed.
  var POLL_MS = 15000;
  var status = null, etag = null, live = false, timer = null, inFlight = false;

  function show(update) {
    if (status && update.seq != null && status.seq != null && update.seq < status.seq) return;
    status = Object.assign({}, status || {}, update);
    if (status.number) render(status);
    $("updated").classList.remove("error");
  }

  function poll() {
    clearTimeout(timer);
    if (live || inFlight) return;
    inFlight = true;
    var controller = new AbortController();
    var abortTimer = setTimeout(function () { controller.abort(); }, 8000);
    var headers = { "Accept-Language": lang };
    if (etag && status) headers["If-None-Match"] = etag;
    fetch("/api/v1/tickets/" + encodeURIComponent(token),
          { headers: headers, signal: controller.signal, cache: "no-store" })
      .then(function (r) {
        clearTimeout(abortTimer);
        if (r.status === 304) { show({}); return; }
        return r.json().then(function (body) {
          if (r.ok) { etag = r.headers.get("ETag"); show(body); return; }
          $("number").textContent = "—";
          $("updated").textContent = body.error ? body.error.message : "";
          $("updated").classList.add("error");
        });
      })
      .catch(function () {
        clearTimeout(abortTimer);
        $("updated").textContent = say("网络不通，正在重试…", "No connection, retrying…");
        $("updated").classList.add("error");
      })
      .then(function () {
        inFlight = false;
        if (!live) timer = setTimeout(poll, POLL_MS);
      });
  }

  if (window.io) {
    var socket = io({ auth: { ticket: token }, transports: ["websocket", "polling"] });
    socket.on("connect", function () { live = true; clearTimeout(timer); document.body.dataset.live = "1"; });
    socket.on("disconnect", function () { live = false; document.body.dataset.live = "0"; timer = setTimeout(poll, POLL_MS); });
    socket.on("ticket", show);
  }
  poll();
})();
