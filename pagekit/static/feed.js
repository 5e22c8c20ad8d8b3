/* A site's live feed over Socket.IO: the server sends a snapshot with its event sequence number
   on connect, then events {seq, type, …} (devices get {seq, type: "hidden"} for the events that
   are not theirs: they only keep the count). A gap in the numbers or a reconnect resyncs: a
   fresh snapshot (asked for as "snapshot"), and with `missed` the events in between read from
   GET /sites/{site}/events, so their effects show once; no event is lost across a blip.

   new Queuehall.Feed(auth, hooks): auth is the socket's {token} (a device) or {site} (a
   console's session). hooks: snapshot(snap, missed) after each (re)sync, event(ev) for each event
   in order, connection(online) on connect and disconnect, missed: true to read missed events.
   A page may also build on the prototype (display/static/screen.js). */
(function () {
  "use strict";
  var Q = window.Queuehall = window.Queuehall || {};

  function Feed(auth, hooks) {
    this.auth = auth; this.hooks = hooks || {};
    this.socket = null; this.lastSeq = null; this.site = null;
    this.buffer = []; this.syncing = false;
  }
  Feed.prototype.start = function () {
    var self = this;
    this.socket = io({auth: this.auth, transports: ["websocket"], reconnectionDelayMax: 5000});
    this.socket.on("snapshot", function (snap) { self.resync(snap); });
    this.socket.on("event", function (ev) { self.onEvent(ev); });
    this.socket.on("connect", function () { self.connection(true); });
    this.socket.on("disconnect", function () { self.connection(false); });
    this.socket.on("connect_error", function () { self.connection(false); });
    return this;
  };
  Feed.prototype.connection = function (online) { if (this.hooks.connection) this.hooks.connection(online); };
  Feed.prototype.requestSnapshot = function () {
    var self = this;
    this.syncing = true;
    this.socket.timeout(10000).emit("snapshot", {}, function (err, snap) {
      if (err || !snap) { self.syncing = false; return; }
      self.resync(snap);
    });
  };
  /* Apply a snapshot; if it is ahead of what this page saw, read the missed events first. */
  Feed.prototype.resync = function (snap) {
    var self = this, since = this.lastSeq;
    this.syncing = true;
    this.site = snap.site.code;
    var finish = function (missed) {
      self.lastSeq = snap.last_seq;
      self.snapshot(snap, missed.filter(function (ev) { return ev.seq <= snap.last_seq && ev.type !== "hidden"; }));
      self.syncing = false;
      var pending = self.buffer; self.buffer = [];
      pending.forEach(function (ev) { self.onEvent(ev); });
    };
    if (!this.hooks.missed || since === null || snap.last_seq <= since) { finish([]); return; }
    this.readMissed(since, snap.last_seq, []).then(finish, function () { finish([]); });
  };
  Feed.prototype.readMissed = function (since, until, acc) {
    var self = this;
    return Q.api("GET", "/sites/" + encodeURIComponent(this.site) + "/events?since=" + since + "&limit=500")
      .then(function (page) {
        acc = acc.concat(page.events);
        var last = page.events.length ? page.events[page.events.length - 1].seq : until;
        return page.more && last < until ? self.readMissed(last, until, acc) : acc;
      });
  };
  /* Each event once and in order; one past a gap waits for the resync. */
  Feed.prototype.onEvent = function (ev) {
    if (this.syncing || this.lastSeq === null) { this.buffer.push(ev); return; }
    if (ev.seq <= this.lastSeq) return;
    if (ev.seq !== this.lastSeq + 1) { this.buffer.push(ev); this.requestSnapshot(); return; }
    this.lastSeq = ev.seq;
    if (ev.type !== "hidden") this.event(ev);
  };
  Feed.prototype.snapshot = function (snap, missed) { if (this.hooks.snapshot) this.hooks.snapshot(snap, missed); };
  Feed.prototype.event = function (ev) { if (this.hooks.event) this.hooks.event(ev); };

  Q.Feed = Feed;
})();
