/* The manager console's shared client, on the page kit (API with the session's CSRF token,
   labels, the site feed): sign-in, error display, the live indicator and durations. Pages build
   on window.managerConsole; every rule is the server's, pages only show its answers. */
(function () {
  "use strict";
  var Q = Queuehall, zh = Q.lang() === "zh";
  var body = document.body;
  var $ = function (id) { return document.getElementById(id); };
  var t = Q.t;

  // the session ended (signed out elsewhere, idle, password changed): sign in again
  Q.request.onUnauthorized = function () { if (body.dataset.access === "granted") location.reload(); };
  var api = Q.api, labels = Q.labels();

  function showError(e, where) {
    var box = where || $("error");
    if (!box) return;
    box.hidden = !e;
    box.textContent = e ? (e.message || String(e)) : "";
  }

  /* Durations the way a hall manager reads them: 45 秒, 12 分, 1 小时 5 分. */
  function duration(seconds) {
    if (seconds == null || isNaN(seconds)) return "—";
    seconds = Math.max(0, Math.floor(seconds));
    if (seconds < 60) return t("seconds_n", {n: seconds});
    var m = Math.floor(seconds / 60);
    return m < 60 ? minutes(m) : t("hours_minutes", {h: Math.floor(m / 60), m: m % 60});
  }
  function minutes(m) { return t("min_n", {n: m}); }
  var now = Q.serverNow;
  function since(iso) { return iso ? (now() - Date.parse(iso)) / 1000 : null; }
  /* Every time shown is the hall's (its site's zone), whatever zone this browser is set to. */
  var zone = body.dataset.timezone || undefined;
  function zoned(options) {
    try { return new Intl.DateTimeFormat(zh ? "zh-CN" : "en-GB", Object.assign({timeZone: zone, hourCycle: "h23"}, options)); }
    catch (e) { return new Intl.DateTimeFormat(zh ? "zh-CN" : "en-GB", Object.assign({hourCycle: "h23"}, options)); }
  }
  var HM = zoned({hour: "2-digit", minute: "2-digit"}), HMS = zoned({hour: "2-digit", minute: "2-digit", second: "2-digit"});
  function clockTime(iso) { return iso ? HM.format(new Date(iso)) : ""; }

  /* The site's events (the kit's feed, a gap resyncs it). onChange(events, resync) is called
     debounced with the events received; resync=true after a (re)connect or a gap in sequence
     numbers, when the page should re-read everything. */
  function feed(site, onChange) {
    var pending = [], resync = true, timer = null, live = $("live");
    function flush() {
      timer = null;
      var events = pending, full = resync;
      pending = []; resync = false;
      onChange(events, full);
    }
    function later() { if (!timer) timer = setTimeout(flush, 200); }
    return new Q.Feed({site: site}, {
      snapshot: function () { resync = true; later(); },
      event: function (e) { pending.push(e); later(); },
      connection: function (online) {
        live.hidden = false; live.className = "live " + (online ? "on" : "off");
        live.textContent = online ? t("live") : t("offline");
      }
    }).start();
  }

  var login = $("login-form");
  if (login) {
    login.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = ev.target;
      api("POST", "/auth/login", {username: f.username.value, password: f.password.value})
        .then(function () { location.reload(); }, function (e) {
          // the API says only "unauthorized"; at a sign-in form its reason is the clearer message
          showError(e.params && e.params.reason === "bad_credentials" ? new Error(t("bad_credentials")) : e);
        });
    });
  }
  var out = $("signout");
  if (out) {
    out.addEventListener("click", function () {
      api("POST", "/auth/logout", {}).then(function () { location.reload(); }, showError);
    });
  }
  var sitePick = document.querySelector(".site-pick select");
  if (sitePick) sitePick.addEventListener("change", function () { sitePick.form.submit(); });
  function tick() {
    var c = $("clock");
    if (c) c.textContent = HMS.format(new Date(now()));
  }
  tick();
  setInterval(tick, 1000);

  window.managerConsole = {
    zh: zh, site: body.dataset.site, api: api, esc: Q.esc, showError: showError, feed: feed,
    labels: labels, label: Q.label, duration: duration, minutes: minutes, t: t, el: Q.el, since: since, now: now, clockTime: clockTime,
    name: Q.name, $: $
  };
})();
