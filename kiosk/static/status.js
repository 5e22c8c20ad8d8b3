// The phone page behind a ticket's QR code (no login, no personal data; only the unguessable
// status token identifies the ticket).
(function () {
  "use strict";
  var Q = Queuehall, token = document.body.dataset.token;
  var STATE = Q.words({
    zh: { waiting: "等候中", called: "已叫号", serving: "办理中", done: "已办结", no_show: "已过号",
          suspended: "已挂起", transferred: "已转办", cancelled: "已取消", expired: "已过期" },
    en: { waiting: "Waiting", called: "Called", serving: "Being served", done: "Done", no_show: "Missed (no-show)",
          suspended: "On hold", transferred: "Transferred", cancelled: "Cancelled", expired: "Expired" }
  });
  function $(id) { return document.getElementById(id); }
  function say(zh, en) { return Q.lang() === "zh" ? zh : en; }

  function render(s) {
    $("site").textContent = Q.name(s.site);
    $("category").textContent = Q.name(s.category);
    $("number").textContent = s.number;
    $("state").textContent = STATE(s.status);
    $("state").className = "state " + s.status;
    document.body.dataset.status = s.status;
    var called = (s.status === "called" || s.status === "serving") && s.window;
    $("call").hidden = !called;
    if (called) $("call").textContent = say("请到 " + s.window + " 号窗口办理", "Please go to window " + s.window);
    $("facts").hidden = s.status !== "waiting";
    // 已过号: the applicant cannot rejoin from the phone (過号重排 is the staff's), so say where to go
    $("advice").hidden = s.status !== "no_show";
    $("advice").textContent = s.status === "no_show" ? say(
      "您的号码已过号。请尽快到服务台（或叫号窗口）出示本页号码，工作人员可为您重新排队；若已离开，请重新取号。",
      "Your number was missed. Go to the service desk (or the window that called you) and show this page: " +
      "the staff can put you back in the queue. If you have left, please take a new ticket.") : "";
    nearTurn(s);
    $("ahead").textContent = s.people_ahead == null ? "–" : s.people_ahead;
    var w = s.estimated_wait_minutes;
    $("wait").textContent = !s.people_ahead ? say("无需等待", "No wait") : !w ? "–"
      : (w.basis === "planned" ? say("约 ", "about ") : "") +
        (w.low === w.high ? w.low : w.low + "–" + w.high) + say(" 分钟", " min");
    $("wait-basis").hidden = !(s.people_ahead && w && w.basis === "planned");
    $("location").textContent = s.location ? say("办理地点：", "Where: ") + s.location : "";
    var now = new Date();
    $("updated").textContent = say("自动更新，最近更新 ", "Updates by itself; last update ") +
      now.toLocaleTimeString(Q.locale());
  }

  // Alerts when the turn is near (fewer than 3 ahead) and when called: vibration, a beep and a
  // system notification. Browsers allow sound and notifications only after a tap, so a button
  // turns them on (and asks the notification permission); vibration needs no permission.
  var NEAR = 3, alerted = {}, audio = null;
  function nearKey(s) {
    if (s.status === "called" || s.status === "serving") return "called";
    if (s.status === "waiting" && s.people_ahead != null && s.people_ahead < NEAR) return "near";
    return null;
  }

  function nearTurn(s) {
    var key = nearKey(s);
    $("near").hidden = key !== "near";
    if (key === "near") $("near").textContent = s.people_ahead ? say(
      "快到您了：前面还有 " + s.people_ahead + " 人，请到窗口附近等候",
      "Almost your turn: " + s.people_ahead + " ahead of you. Please wait near the windows")
      : say("下一个就是您，请到窗口附近等候", "You are next. Please wait near the windows");
    $("alerts").hidden = !!audio || s.status !== "waiting";
    if (!key || alerted[key]) return;
    alerted[key] = true;
    notify(key === "called" ? $("call").textContent : $("near").textContent);
  }

  function notify(text) {
    document.body.dataset.alerted = (document.body.dataset.alerted || "") + "|" + text;
    // Chromium refuses (and logs) a vibration before the page was ever tapped
    var tapped = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (navigator.vibrate && tapped) navigator.vibrate([400, 200, 400, 200, 400]);
    beep();
    if (window.Notification && Notification.permission === "granted") {
      try { new Notification($("number").textContent + " · " + $("site").textContent, { body: text, tag: "queuehall-" + token }); }
      catch (e) { /* Android Chrome: notifications only through a service worker; the rest still alerts */ }
    }
  }

  function beep() {
    if (!audio) return;
    [0, 0.35, 0.7].forEach(function (at) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.3, audio.currentTime + at);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + at);
      osc.stop(audio.currentTime + at + 0.3);
    });
    document.body.dataset.beeps = String(+(document.body.dataset.beeps || 0) + 1);
  }

  $("alerts").addEventListener("click", function () {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (Context) { audio = new Context(); audio.resume(); }
    if (window.Notification && Notification.permission === "default") Notification.requestPermission();
    $("alerts").hidden = true;
    $("alerts-on").hidden = false;
    document.body.dataset.alerts = "on";
    beep();  // the sound it will make, and proof that it is allowed
    if (navigator.vibrate) navigator.vibrate(200);
  });

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
    Q.api("GET", "/tickets/" + encodeURIComponent(token), undefined,
          { timeout: 8000, etag: status ? etag : null })
      .then(function (answer) {  // body null: 304, nothing changed
        etag = answer.etag;
        show(answer.body || {});
      }, function (e) {
        if (e.status) $("number").textContent = "—";
        $("updated").textContent = !e.status ? say("网络不通，正在重试…", "No connection, retrying…")
          : e.body.error ? e.message : "";
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
