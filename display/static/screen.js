/* A screen's view of the hall: the feed's snapshot with events applied on top (the kit's
   Queuehall.Feed resyncs on a gap or a reconnect and hands over the missed events, so a call
   made while the screen was offline still shows and is spoken once). */
(function () {
  "use strict";
  var Feed = Queuehall.Feed;

  /* The screen: state = snapshot + events; render(state, conn) draws it, conn being "online",
     "offline" or "no_token". onCall(ev) says whether a call is spoken here. */
  function Screen(kind, render, onCall) {
    Feed.call(this, {token: Queuehall.deviceToken("queuehall.token." + kind)}, {missed: true});
    this.kind = kind; this.render = render; this.onCall = onCall;
    this.token = this.auth.token;
    this.state = null; this.announced = {};
    // announcer.js, on the pages that speak (not the rating pad)
    this.voice = window.QueuehallAnnouncer ? QueuehallAnnouncer.forScreen(this.token) : null;
    this.refreshTimer = null;
  }
  Screen.prototype = Object.create(Feed.prototype);
  Screen.prototype.constructor = Screen;

  Screen.prototype.start = function () {
    var self = this;
    if (!this.token) { this.render(null, "no_token"); return; }
    Feed.prototype.start.call(this);
    setInterval(function () { self.render(self.state, self.socket.connected ? "online" : "offline"); }, 1000);
  };
  Screen.prototype.connection = function (online) { if (!online) this.render(this.state, "offline"); };
  /* The snapshot already holds the missed events' effect; a page hook (the rating pad waits for
     `finished`) must still see each of them once, or a gap would swallow it. */
  Screen.prototype.snapshot = function (snap, missed) {
    var self = this, old = this.state;
    if (snap.screen) this.screen = snap.screen;
    else if (old && old.screen) snap.screen = old.screen;
    this.state = snap;
    missed.forEach(function (ev) {
      if (self.onEvent_) self.onEvent_(ev);
      self.announce(ev, true);
    });
    this.render(this.state, "online");
  };
  Screen.prototype.event = function (ev) {
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
    var recent = this.state.recent_calls;
    if (!missed || !recent.some(function (c) { return c.seq === ev.seq; })) {
      recent.unshift({seq: ev.seq, type: ev.type, at: ev.at, number: ev.number,
                      window: ev.window, category: ev.category});
      if (missed) recent.sort(function (a, b) { return b.seq - a.seq; });
    }
    this.state.recent_calls = recent.slice(0, 12);
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
