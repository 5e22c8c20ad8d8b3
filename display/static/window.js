/* The window screen (窗口屏): the ticket called to this window, its staff and state. */
(function () {
  "use strict";
  var Q = Queuehall, esc = Q.esc;
  var T = Q.words({
    zh: {win: function (n, name) { return n + "号窗口" + (name ? " · " + name : ""); },
         called: "请以下号码到本窗口办理", serving: "正在办理", idle: "请稍候", A: "A岗", B: "B岗",
         number: "工号", nostaff: "暂无工作人员签到", paused: "暂停服务", closed: "窗口已关闭",
         offline: "连接中断，正在重连…", notoken: "请用设备令牌打开本页：/display/window#token=…"},
    en: {win: function (n, name) { return "Window " + n + (name ? " · " + name : ""); },
         called: "Now calling", serving: "Now serving", idle: "Please wait", A: "Post A", B: "Post B",
         number: "Staff No.", nostaff: "No staff signed in", paused: "Paused", closed: "Closed",
         offline: "Connection lost, reconnecting…", notoken: "Open this page with its device token: /display/window#token=…"}});
  var $ = function (id) { return document.getElementById(id); };
  var screen, staffKey = null;
  /* The person at each post: photo, post, name and 工号 (each shown only when set). */
  function person(p) {
    var photo = p.photo ? '<img alt="" src="/display/staff-photo/' + encodeURIComponent(p.photo) + '">' : "";
    var number = p.staff_number ? '<div class="number">' + esc(T("number")) + " " + esc(p.staff_number) + "</div>" : "";
    return '<div class="person">' + photo + '<div><div class="post">' + esc(T(p.post)) + "</div>" +
      '<div class="name">' + esc(p.name) + "</div>" + number + "</div></div>";
  }
  function render(state, conn) {
    // the hall's time, in the site's zone whatever the screen's own clock zone
    $("clock").textContent = state && state.site.timezone ?
      new Date().toLocaleTimeString(Q.locale(), {timeZone: state.site.timezone,
        hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false}) : "";
    $("status").textContent = conn === "offline" ? T("offline") : "";
    if (conn === "no_token") { $("main").innerHTML = '<p class="message">' + esc(T("notoken")) + "</p>"; return; }
    if (!state || !screen.screen) return;
    var w = queuehallFindWindow(state, screen.screen.window);
    if (!w) return;
    var name = Q.name(w);
    $("title").textContent = T("win", w.number, name && name !== T("win", w.number) ? name : "");
    var t = $("ticket");
    var text = w.current ? w.current.number : "—";
    if (t.textContent !== text) t.textContent = text;
    var serving = w.current && w.current.status === "serving";
    t.className = w.current ? (serving ? "serving" : "") : "empty";
    $("label").textContent = w.current ? (serving ? T("serving") : T("called")) : T("idle");
    var staff = w.posts.length ? w.posts.map(person).join("") : '<p class="nostaff">' + esc(T("nostaff")) + "</p>";
    if (staff !== staffKey) { staffKey = staff; $("staff").innerHTML = staff; }
    var st = $("state");
    if (w.state === "open") { st.style.display = "none"; return; }
    st.style.display = "block";
    st.innerHTML = esc(w.state === "paused" ? T("paused") : T("closed")) +
      (w.pause_reason ? "<small>" + esc(w.pause_reason) + "</small>" : "");
  }
  /* A window screen speaks only the calls to its own window. */
  screen = new QueuehallScreen("window", render, function (ev) {
    var t = $("ticket");
    if (screen.screen && ev.window === screen.screen.window) {
      t.classList.remove("flash"); void t.offsetWidth; t.classList.add("flash");
      return true;
    }
    return false;
  });
  /* A sign-in event names the person only: the snapshot brings their 工号 and photo. */
  screen.onEvent_ = function (ev) {
    if (ev.type === "post_signed_in" && screen.screen && ev.window === screen.screen.window) screen.scheduleRefresh();
  };
  window.windowScreen = screen;
  screen.start();
})();
