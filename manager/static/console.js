/* The manager console's shared client: sign-in, API calls with the session's CSRF token, error
   display, the live indicator and a Socket.IO feed that notices lost events. Pages build on
   window.managerConsole; every rule is the server's, pages only show its answers. */
(function () {
  "use strict";
  var zh = document.documentElement.lang === "zh-CN";
  var body = document.body;
  var $ = function (id) { return document.getElementById(id); };
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || null;
  var skew = 0;  // server clock minus this browser's, so timers agree with the server's timestamps
  var T = zh ? {
    live: "实时", offline: "连接中断，正在重连…", resync: "已重新同步", bad_credentials: "用户名或密码不正确",
    min: function (m) { return m + " 分"; }, sec: function (s) { return s + " 秒"; },
    hm: function (h, m) { return h + " 小时 " + m + " 分"; }
  } : {
    live: "Live", offline: "Connection lost, reconnecting…", resync: "Resynchronised", bad_credentials: "Wrong username or password",
    min: function (m) { return m + " min"; }, sec: function (s) { return s + " s"; },
    hm: function (h, m) { return h + " h " + m + " min"; }
  };

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  /* fetch /api/v1 + path; rejects with an Error carrying the API's translated message, code
     and HTTP status (404 also means "that endpoint is not deployed on this server yet"). */
  function api(method, path, payload) {
    var headers = {"Accept": "application/json"};
    if (payload !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && csrf) headers["X-CSRFToken"] = csrf;
    return fetch("/api/v1" + path, {method: method, headers: headers, credentials: "same-origin",
                                    body: payload === undefined ? undefined : JSON.stringify(payload)})
      .then(function (r) {
        var said = Date.parse(r.headers.get("Date") || "");
        if (!isNaN(said)) skew = said + 500 - Date.now();  // the header has whole seconds
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (r.status === 401 && body.dataset.access === "granted") location.reload();  // session ended: sign in again
          if (!r.ok) {
            var e = new Error((j.error && j.error.message) || r.statusText || String(r.status));
            e.status = r.status; e.code = j.error && j.error.code; e.params = (j.error && j.error.params) || {};
            throw e;
          }
          return j;
        });
      });
  }

  /* The server's labels of the codes it sends (GET /api/v1/labels), in this page's language;
     `labels` resolves once they are here (or could not be read: then a code shows as itself). */
  var L = {};
  var labels = api("GET", "/labels?lang=" + (zh ? "zh" : "en")).then(function (r) { L = r.labels; }, function () {});
  function label(group, code) { return (L[group] || {})[code] || code; }

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
    if (seconds < 60) return T.sec(seconds);
    var m = Math.floor(seconds / 60);
    return m < 60 ? T.min(m) : T.hm(Math.floor(m / 60), m % 60);
  }
  function now() { return Date.now() + skew; }
  function since(iso) { return iso ? (now() - Date.parse(iso)) / 1000 : null; }
  /* Every time shown is the hall's (its site's zone), whatever zone this browser is set to. */
  var zone = body.dataset.timezone || undefined;
  function zoned(options) {
    try { return new Intl.DateTimeFormat(zh ? "zh-CN" : "en-GB", Object.assign({timeZone: zone, hourCycle: "h23"}, options)); }
    catch (e) { return new Intl.DateTimeFormat(zh ? "zh-CN" : "en-GB", Object.assign({hourCycle: "h23"}, options)); }
  }
  var HM = zoned({hour: "2-digit", minute: "2-digit"}), HMS = zoned({hour: "2-digit", minute: "2-digit", second: "2-digit"});
  function clockTime(iso) { return iso ? HM.format(new Date(iso)) : ""; }
  function name(obj) { return obj ? (zh ? obj.name_zh : (obj.name_en || obj.name_zh)) : ""; }

  /* Socket.IO feed of the site's events. onChange(events, resync) is called debounced with the
     events received; resync=true after a (re)connect or a gap in sequence numbers, when the
     page should re-read everything. */
  function feed(site, onChange) {
    var lastSeq = null, pending = [], resync = true, timer = null, live = $("live");
    function flush() {
      timer = null;
      var events = pending, full = resync;
      pending = []; resync = false;
      onChange(events, full);
    }
    function later() { if (!timer) timer = setTimeout(flush, 200); }
    function onEvent(e) {
      if (lastSeq !== null && e.seq > lastSeq + 1) resync = true;  // lost events: read again
      if (lastSeq === null || e.seq > lastSeq) lastSeq = e.seq;
      pending.push(e);
      later();
    }
    if (typeof io !== "function") { onChange([], true); return null; }
    var socket = io({auth: {site: site}, transports: ["websocket"]});
    socket.on("connect", function () {
      live.hidden = false; live.className = "live on"; live.textContent = T.live;
    });
    socket.on("disconnect", function () {
      live.hidden = false; live.className = "live off"; live.textContent = T.offline;
    });
    socket.on("snapshot", function (snap) { lastSeq = snap.last_seq; resync = true; later(); });
    socket.on("event", onEvent);
    return {socket: socket, onEvent: onEvent};
  }

  var login = $("login-form");
  if (login) {
    login.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = ev.target;
      api("POST", "/auth/login", {username: f.username.value, password: f.password.value})
        .then(function () { location.reload(); }, function (e) {
          // the API says only "unauthorized"; at a sign-in form its reason is the clearer message
          showError(e.params && e.params.reason === "bad_credentials" ? new Error(T.bad_credentials) : e);
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
    zh: zh, site: body.dataset.site, api: api, esc: esc, showError: showError, feed: feed,
    labels: labels, label: label, duration: duration, minutes: T.min, since: since, now: now, clockTime: clockTime, name: name, $: $
  };
})();
