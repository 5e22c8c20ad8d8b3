/* A screen's view of the hall: a snapshot with its sequence number, then events on top.
   A gap in sequence numbers or a reconnect resyncs (snapshot + the missed events from the
   events feed), so a call made while the screen was offline still shows and is spoken once. */
(function () {
  "use strict";

  /* The device token arrives once in the address, as #token=… (a fragment never reaches the
     server or its logs; ?token=… is still read for links made before), is kept by the browser
     and removed from the address at once. Requests carry it in a header, never in the URL. */
  function deviceToken(kind) {
    var key = "queuehall.token." + kind;
    var url = new URL(location.href);
    var hash = new URLSearchParams(url.hash.slice(1));
    var fromUrl = hash.get("token") || url.searchParams.get("token");
    if (hash.has("token") || url.searchParams.has("token")) {
      if (fromUrl) localStorage.setItem(key, fromUrl);
      hash.delete("token");
      url.searchParams.delete("token");
      url.hash = hash.toString();
      history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
    return localStorage.getItem(key);
  }

  /* The screen: state = snapshot + events; render(state) draws it. */
  function Screen(kind, render, onCall) {
    this.kind = kind; this.render = render; this.onCall = onCall;
    this.token = deviceToken(kind);
    this.state = null; this.lastSeq = null; this.site = null;
    this.buffer = []; this.syncing = false; this.announced = {};
    // announcer.js, on the pages that speak (not the rating pad)
    this.voice = window.QueuehallAnnouncer ? QueuehallAnnouncer.forScreen(this.token) : null;
    this.refreshTimer = null;
  }
  Screen.prototype.start = function () {
    var self = this;
    if (!this.token) { this.render(null, "no_token"); return; }
    this.socket = io({auth: {token: this.token}, transports: ["websocket"],
                      reconnectionDelayMax: 5000});
    this.socket.on("snapshot", function (snap) { self.resync(snap); });
    this.socket.on("event", function (ev) { self.onEvent(ev); });
    this.socket.on("disconnect", function () { self.render(self.state, "offline"); });
    this.socket.on("connect_error", function () { self.render(self.state, "offline"); });
    setInterval(function () { self.render(self.state, self.socket.connected ? "online" : "offline"); }, 1000);
  };
  Screen.prototype.requestSnapshot = function () {
    var self = this;
    this.syncing = true;
    this.socket.timeout(10000).emit("snapshot", {}, function (err, snap) {
      if (err || !snap) { self.syncing = false; return; }
      self.resync(snap);
    });
  };
  /* Apply a snapshot; if it is ahead of what this screen saw, fetch the missed events first so
     their calls are announced (once) and listed. */
  Screen.prototype.resync = function (snap) {
    var self = this;
    this.syncing = true;
    if (snap.screen) this.screen = snap.screen;
    this.site = snap.site.code;
    var missedFrom = this.lastSeq;
    var finish = function (missed) {
      var old = self.state;
      self.state = snap;
      if (!snap.screen && old && old.screen) snap.screen = old.screen;
      self.lastSeq = snap.last_seq;
      // The snapshot already holds their effect; a page hook (the rating pad waits for
      // `finished`) must still see each of them once, or a gap would swallow it.
      missed.forEach(function (ev) {
        if (ev.seq > snap.last_seq) return;
        if (self.onEvent_) self.onEvent_(ev);
        self.announce(ev, true);
      });
      self.syncing = false;
      var pending = self.buffer; self.buffer = [];
      pending.forEach(function (ev) { self.onEvent(ev); });
      self.render(self.state, "online");
    };
    if (missedFrom === null || snap.last_seq <= missedFrom) { finish([]); return; }
    this.fetchEvents(missedFrom, snap.last_seq, []).then(finish, function () { finish([]); });
  };
  Screen.prototype.fetchEvents = function (since, until, acc) {
    var self = this;
    return fetch("/api/v1/sites/" + this.site + "/events?since=" + since + "&limit=500",
                 {headers: {"Authorization": "Bearer " + this.token}})
      .then(function (r) { if (!r.ok) throw new Error("events " + r.status); return r.json(); })
      .then(function (page) {
        acc = acc.concat(page.events);
        var last = page.events.length ? page.events[page.events.length - 1].seq : until;
        if (page.more && last < until) return self.fetchEvents(last, until, acc);
        return acc;
      });
  };
  Screen.prototype.onEvent = function (ev) {
    if (this.syncing || this.lastSeq === null) { this.buffer.push(ev); return; }
    if (ev.seq <= this.lastSeq) return;
    if (ev.seq !== this.lastSeq + 1) { this.buffer.push(ev); this.requestSnapshot(); return; }
    this.lastSeq = ev.seq;
    this.state.last_seq = ev.seq;
    this.apply(ev);
    this.render(this.state, "online");
  };
  Screen.prototype.apply = function (ev) {
    var s = this.state, w = findWindow(s, ev.window);
    if (this.onEvent_) this.onEvent_(ev);
    if (ev.type === "called" || ev.type === "recalled") {
      if (w) w.current = {ticket_id: ev.ticket_id, number: ev.number, status: "called",
                          category: ev.category, called_at: ev.at};
      if (ev.type === "called") this.bump(ev.category, -1);
      this.announce(ev, false);
    } else if (ev.type === "started") {
      if (w && w.current && w.current.ticket_id === ev.ticket_id) w.current.status = "serving";
    } else if (ev.type === "issued") {
      this.bump(ev.category, 1);
    } else if (["finished", "no_show", "suspended", "cancelled"].indexOf(ev.type) >= 0) {
      s.windows.forEach(function (win) {
        if (win.current && win.current.ticket_id === ev.ticket_id) win.current = null;
      });
      if (ev.type === "cancelled") this.scheduleRefresh();
    } else if (/^window_(opened|paused|closed)$/.test(ev.type) && w) {
      w.state = {window_opened: "open", window_paused: "paused", window_closed: "closed"}[ev.type];
      w.pause_reason = ev.type === "window_paused" ? ev.reason : null;
    } else if (ev.type === "post_signed_in" && w) {
      w.posts = w.posts.filter(function (p) { return p.post !== ev.post; });
      w.posts.push({post: ev.post, name: ev.by ? ev.by.name : ""});
      w.posts.sort(function (a, b) { return a.post < b.post ? -1 : 1; });
    } else if (ev.type === "post_signed_out" && w) {
      w.posts = w.posts.filter(function (p) { return p.post !== ev.post; });
    } else {
      /* transfers, reinstatements, resumes: rarer; take a fresh snapshot */
      this.scheduleRefresh();
    }
  };
  Screen.prototype.bump = function (category, by) {
    this.state.categories.forEach(function (c) {
      if (c.code === category) c.waiting = Math.max(0, c.waiting + by);
    });
  };
  Screen.prototype.scheduleRefresh = function () {
    var self = this;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(function () { self.requestSnapshot(); }, 300);
  };
  /* One announcement per event seq; missed calls older than 5 minutes are listed, not spoken. */
  Screen.prototype.announce = function (ev, missed) {
    if (ev.type !== "called" && ev.type !== "recalled") return;
    if (this.announced[ev.seq]) return;
    this.announced[ev.seq] = true;
    if (missed) {
      var recent = this.state.recent_calls;
      if (!recent.some(function (c) { return c.seq === ev.seq; })) {
        recent.unshift({seq: ev.seq, type: ev.type, at: ev.at, number: ev.number,
                        window: ev.window, category: ev.category});
        recent.sort(function (a, b) { return b.seq - a.seq; });
      }
    } else {
      this.state.recent_calls.unshift({seq: ev.seq, type: ev.type, at: ev.at, number: ev.number,
                                       window: ev.window, category: ev.category});
    }
    this.state.recent_calls = this.state.recent_calls.slice(0, 12);
    if (this.onCall && !this.onCall(ev)) return;
    if (!this.voice) return;
    if (missed && Date.now() - Date.parse(ev.at) > 5 * 60 * 1000) return;
    var template = (this.screen && this.screen.voice_template) || "请{number}号到{window}号窗口办理";
    this.voice.repeat = (this.screen && this.screen.voice_repeat) || 1;
    this.voice.call({number: ev.number, window: ev.window, recall: ev.type === "recalled",
                     text: template.replace("{number}", spell(ev.number)).replace("{window}", ev.window)});
    this.lastCall = {seq: ev.seq, at: Date.now()};
  };

  /* "A023" is read letter by letter and digit by digit, the way halls call numbers. */
  function spell(number) { return String(number).split("").join(" "); }
  function findWindow(s, n) {
    for (var i = 0; s && i < s.windows.length; i++) if (s.windows[i].number === n) return s.windows[i];
    return null;
  }

  window.QueuehallScreen = Screen;
  window.queuehallFindWindow = findWindow;
})();
