/* The screens' voice: which call is said next (a rule that keeps up at peak), and saying it
   (the hall server's WAV, joined from its voice pack; else the browser's zh-CN voice; else a
   chime), behind a "点击启用声音" prompt while the browser does not allow sound.

   The rule (CallQueue + Announcer), on any clock:
   - a call is said once, or `repeat` times; a repetition only while no other call waits;
   - a call not yet said when the same ticket is called or recalled again is said once (merged);
   - a call that could no longer start within MAX_DELAY_MS of showing is dropped (it stays on
     the screen); a recall is never dropped (staff asked for it);
   - the chime opens a run of announcements; calls said back to back share it.
   VirtualClock + simulate() run the same code on a virtual clock (tests, bench/bench_voice.py). */
(function () {
  "use strict";

  var MAX_DELAY_MS = 10000;   // no call is spoken later than this after it shows
  var GAP_MS = 300;           // silence between two announcements
  var CHIME_AFTER_MS = 1500;  // idle this long: the next announcement opens with the chime

  function CallQueue(maxDelayMs) {
    this.maxDelayMs = maxDelayMs === undefined ? MAX_DELAY_MS : maxDelayMs;
    this.waiting = [];
  }
  /* Queue a call ({number, window, recall, text, shownAt}); false when merged into one waiting. */
  CallQueue.prototype.add = function (call) {
    for (var i = 0; i < this.waiting.length; i++) {
      var w = this.waiting[i];
      if (w.number === call.number) {
        w.window = call.window; w.text = call.text; w.recall = w.recall || call.recall;
        w.merged = (w.merged || 0) + 1;
        if (call.audio) w.audio = call.audio;
        return false;
      }
    }
    this.waiting.push(call);
    return true;
  };
  /* The call to say at `now`; calls gone stale are moved to `dropped`. */
  CallQueue.prototype.take = function (now, dropped) {
    var self = this;
    this.waiting = this.waiting.filter(function (c) {
      var stale = !c.recall && now - c.shownAt > self.maxDelayMs;
      if (stale) dropped.push({number: c.number, window: c.window, text: c.text,
                               shownAt: c.shownAt, droppedAt: now, reason: "stale"});
      return !stale;
    });
    return this.waiting.shift() || null;
  };

  /* The loop: take a call, have the player say it, wait GAP_MS, take the next. A player has
     prepare(call) (fetch its audio early) and play(call, {chime, repetition}, done(how)). */
  function Announcer(player, clock, opts) {
    opts = opts || {};
    this.player = player; this.clock = clock;
    this.queue = new CallQueue(opts.maxDelayMs);
    this.repeat = opts.repeat || 1;
    this.log = []; this.dropped = [];
    this.busy = false; this.lastEnd = -Infinity; this.again = null;
  }
  Announcer.prototype.call = function (call) {
    call.shownAt = this.clock.now();
    call.times = 0;
    if (this.again && this.again.number === call.number) this.again = null;
    if (this.player.prepare) this.player.prepare(call);
    this.queue.add(call);
    if (!this.busy) this.next();
  };
  /* Kept for pages that say a bare phrase. */
  Announcer.prototype.say = function (text) {
    this.call({number: text, window: null, recall: false, text: text});
  };
  Announcer.prototype.next = function () {
    var self = this, now = this.clock.now();
    var item = this.queue.take(now, this.dropped), repetition = false;
    if (item) this.again = null;
    else if (this.again) { item = this.again; this.again = null; repetition = true; }
    if (!item) { this.busy = false; return; }
    this.busy = true;
    var how = {chime: !repetition && now - this.lastEnd > CHIME_AFTER_MS, repetition: repetition};
    this.player.play(item, how, function (said) {
      var end = self.clock.now();
      self.log.push({text: item.text, number: item.number, window: item.window, how: said,
                     recall: !!item.recall, chime: how.chime, repetition: repetition,
                     merged: item.merged || 0, shownAt: item.shownAt, startedAt: now,
                     endedAt: end, delay: now - item.shownAt, at: end});
      self.lastEnd = end;
      item.times += 1;
      if (item.times < self.repeat) self.again = item;
      self.clock.setTimeout(function () { self.next(); }, GAP_MS);
    });
  };

  /* A clock that jumps from one timer to the next: hours of calls run in milliseconds. */
  function VirtualClock() { this.t = 0; this.timers = []; this.seq = 0; }
  VirtualClock.prototype.now = function () { return this.t; };
  VirtualClock.prototype.setTimeout = function (fn, ms) {
    this.timers.push({at: this.t + Math.max(0, ms || 0), seq: this.seq++, fn: fn});
  };
  VirtualClock.prototype.run = function () {
    while (this.timers.length) {
      this.timers.sort(function (a, b) { return a.at - b.at || a.seq - b.seq; });
      var timer = this.timers.shift();
      this.t = timer.at;
      timer.fn();
    }
  };

  /* Calls ({at, number, window, recall}) through the real rule with announcements that last
     chimeMs + phraseMs(call): what was said when, and what was dropped. */
  function simulate(calls, opts) {
    var clock = new VirtualClock();
    var phraseMs = typeof opts.phraseMs === "function" ? opts.phraseMs
                                                        : function () { return opts.phraseMs; };
    var player = {play: function (call, how, done) {
      clock.setTimeout(function () { done("simulated"); },
                       (how.chime ? opts.chimeMs : 0) + phraseMs(call));
    }};
    var announcer = new Announcer(player, clock, {repeat: opts.repeat, maxDelayMs: opts.maxDelayMs});
    calls.forEach(function (c) {
      clock.setTimeout(function () {
        announcer.call({number: c.number, window: c.window, recall: !!c.recall,
                        text: c.text || c.number});
      }, c.at);
    });
    clock.run();
    return {spoken: announcer.log, dropped: announcer.dropped};
  }

  /* ---- in the page: sound through Web Audio, and the prompt while it is not allowed ---- */

  /* Plays a call's WAV from the hall server (the phrase only, from X-Voice-Chime-Ms, when no
     chime is wanted); the browser's zh-CN voice or a chime when the server cannot say it. */
  function AudioPlayer(token) {
    this.token = token;
    var Context = window.AudioContext || window.webkitAudioContext;
    try { this.ctx = Context ? new Context() : null; } catch (e) { this.ctx = null; }
    this.zhVoice = null;
    var self = this;
    if (window.speechSynthesis) {
      var pick = function () {
        self.zhVoice = speechSynthesis.getVoices().filter(function (v) {
          return /^zh[-_](CN|Hans)/i.test(v.lang) || /^cmn/i.test(v.lang);
        })[0] || null;
      };
      pick();
      speechSynthesis.onvoiceschanged = pick;
    }
    this.prompt = new SoundPrompt(this.ctx);
  }
  AudioPlayer.prototype.allowed = function () {
    return !!this.ctx && this.ctx.state === "running";
  };
  AudioPlayer.prototype.prepare = function (call) {
    var ctx = this.ctx;
    if (!ctx || !this.token) { call.audio = Promise.resolve(null); return; }
    call.audio = fetch("/display/voice?text=" + encodeURIComponent(call.text),
                       {headers: {"X-Device-Token": this.token}})
      .then(function (r) {
        if (!r.ok) throw new Error("voice " + r.status);
        var chimeMs = Number(r.headers.get("X-Voice-Chime-Ms")) || 0;
        return r.arrayBuffer().then(function (bytes) {
          return new Promise(function (ok, fail) { ctx.decodeAudioData(bytes, ok, fail); });
        }).then(function (buffer) { return {buffer: buffer, chimeMs: chimeMs}; });
      })
      .catch(function () { return null; });
  };
  AudioPlayer.prototype.play = function (call, how, done) {
    var self = this, finished = false, guard = null;
    var end = function (said) {
      if (finished) return;
      finished = true; clearTimeout(guard);
      done(said);
    };
    if (!this.allowed()) { end("muted"); return; }  // the prompt is up; nothing would be heard
    guard = setTimeout(function () { end("timeout"); }, 15000);
    (call.audio || Promise.resolve(null)).then(function (audio) {
      if (audio) {
        var source = self.ctx.createBufferSource();
        source.buffer = audio.buffer;
        source.connect(self.ctx.destination);
        source.onended = function () { end("server"); };
        source.start(0, how.chime ? 0 : audio.chimeMs / 1000);
      } else if (self.zhVoice) {
        var speak = function () {
          var u = new SpeechSynthesisUtterance(call.text);
          u.voice = self.zhVoice; u.lang = self.zhVoice.lang;
          u.onend = function () { end("browser"); };
          u.onerror = function () { end("chime"); };
          speechSynthesis.speak(u);
        };
        if (how.chime) self.chime(speak); else speak();
      } else {
        self.chime(function () { end("chime"); });
      }
    });
  };
  /* 叮咚: two fading tones, 0.5 s. */
  AudioPlayer.prototype.chime = function (then) {
    var ctx = this.ctx, t = ctx.currentTime;
    [880, 660].forEach(function (f, i) {
      var o = ctx.createOscillator(), g = ctx.createGain();
      o.frequency.value = f; o.connect(g); g.connect(ctx.destination);
      g.gain.setValueAtTime(0.3, t + i * 0.25);
      g.gain.exponentialRampToValueAtTime(0.001, t + i * 0.25 + 0.24);
      o.start(t + i * 0.25); o.stop(t + i * 0.25 + 0.25);
    });
    setTimeout(then, 560);
  };

  /* Up while the browser keeps the page silent (Chromium's autoplay policy before any tap);
     any tap or key starts the sound, and the prompt goes. */
  function SoundPrompt(ctx) {
    // the screen's language first, the other one small below it (display/words.py)
    var zh = document.documentElement.lang !== "en", t = window.Queuehall.t;
    var el = this.el = document.createElement("button");
    el.type = "button";
    el.id = "sound-prompt";
    el.className = "sound-prompt";
    el.innerHTML = '<img class="icon" alt="" src="/display/static/sound-off.svg">' +
                   '<span class="text"></span><small></small>';
    el.querySelector(".text").textContent = t("sound.prompt", {}, zh ? "zh" : "en");
    el.querySelector("small").textContent = t("sound.prompt", {}, zh ? "en" : "zh");
    var show = function () { el.hidden = !ctx || ctx.state === "running"; };
    var unlock = function () { if (ctx && ctx.state !== "running") ctx.resume().then(show, show); };
    show();
    if (ctx) ctx.onstatechange = show;
    ["pointerdown", "keydown", "touchend", "click"].forEach(function (kind) {
      document.addEventListener(kind, unlock, true);
    });
    var attach = function () { document.body.appendChild(el); };
    if (document.body) attach(); else document.addEventListener("DOMContentLoaded", attach);
  }

  var realClock = {now: function () { return Date.now(); },
                   setTimeout: function (fn, ms) { return window.setTimeout(fn, ms); }};

  /* A screen's announcer: the rule on the real clock, speaking through Web Audio. */
  function forScreen(token) {
    var player = new AudioPlayer(token);
    var announcer = new Announcer(player, realClock);
    announcer.prompt = player.prompt;
    announcer.player = player;
    return announcer;
  }

  window.QueuehallAnnouncer = {CallQueue: CallQueue, Announcer: Announcer,
                               VirtualClock: VirtualClock, simulate: simulate,
                               forScreen: forScreen, MAX_DELAY_MS: MAX_DELAY_MS,
                               GAP_MS: GAP_MS, CHIME_AFTER_MS: CHIME_AFTER_MS};
})();
