// The phone page behind a ticket's QR code (no login, no personal data; only the unguessable
// status token identifies the ticket).
(function () {
  "use strict";
  var Q = Queuehall, token = document.body.dataset.token;
  var t = Q.t;
  // A ticket's status as the catalogue's key (kiosk/words.py), for the phone's own wording.
  var STATE = { waiting: "status.waiting", called: "status.called", serving: "status.serving",
                done: "status.done", no_show: "status.no_show", suspended: "status.suspended",
                transferred: "status.transferred", cancelled: "status.cancelled",
                expired: "status.expired" };
  function $(id) { return document.getElementById(id); }

  function render(s) {
    $("site").textContent = Q.name(s.site);
    $("category").textContent = Q.name(s.category);
    $("number").textContent = s.number;
    $("state").textContent = STATE[s.status] ? t(STATE[s.status]) : s.status;
    $("state").className = "state " + s.status;
    document.body.dataset.status = s.status;
    var called = (s.status === "called" || s.status === "serving") && s.window;
    $("call").hidden = !called;
    if (called) $("call").textContent = t("go_to_window", { n: s.window });
    $("facts").hidden = s.status !== "waiting";
    // 已过号: the applicant cannot rejoin from the phone (過号重排 is the staff's), so say where to go
    $("advice").hidden = s.status !== "no_show";
    $("advice").textContent = s.status === "no_show" ? t("missed_advice") : "";
    nearTurn(s);
    $("ahead").textContent = s.people_ahead == null ? "–" : s.people_ahead;
    var w = s.estimated_wait_minutes;
    var span = !w ? null : w.low === w.high ? w.low : w.low + "–" + w.high;
    $("wait").textContent = !s.people_ahead ? t("no_wait") : !w ? "–"
      : t(w.basis === "planned" ? "about_minutes" : "plain_minutes", { w: span });
    $("wait-basis").hidden = !(s.people_ahead && w && w.basis === "planned");
    $("location").textContent = s.location ? t("location", { p: s.location }) : "";
    var now = new Date();
    $("updated").textContent = t("updated_at", { at: now.toLocaleTimeString(Q.locale()) });
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
    if (key === "near")
      $("near").textContent = s.people_ahead ? t("near_n", { n: s.people_ahead }) : t("near_next");
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
        $("updated").textContent = !e.status ? t("offline_now")
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
