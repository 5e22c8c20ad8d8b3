/* The window screen (窗口屏): the ticket called to this window, its staff and state. */
(function () {
  "use strict";
  var Q = Queuehall, esc = Q.esc;
  var t = Q.t;  // the screens' words: display/words.py
  var POST = {A: "window.post_a", B: "window.post_b"};
  var $ = function (id) { return document.getElementById(id); };
  var screen, staffKey = null;
  /* The person at each post: photo, post, name and 工号 (each shown only when set). */
  function person(p) {
    var photo = p.photo ? '<img alt="" src="/display/staff-photo/' + encodeURIComponent(p.photo) + '">' : "";
    var number = p.staff_number ? '<div class="number">' + esc(t("window.staff_number")) + " " + esc(p.staff_number) + "</div>" : "";
    return '<div class="person">' + photo + '<div><div class="post">' + esc(POST[p.post] ? t(POST[p.post]) : p.post) + "</div>" +
      '<div class="name">' + esc(p.name) + "</div>" + number + "</div></div>";
  }
  function render(state, conn) {
    // the hall's time, in the site's zone whatever the screen's own clock zone
    $("clock").textContent = state && state.site.timezone ?
      new Date().toLocaleTimeString(Q.locale(), {timeZone: state.site.timezone,
        hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false}) : "";
    $("status").textContent = conn === "offline" ? t("offline") : "";
    if (conn === "no_token") { $("main").innerHTML = '<p class="message">' + esc(t("window.notoken")) + "</p>"; return; }
    if (!state || !screen.screen) return;
    var w = queuehallFindWindow(state, screen.screen.window);
    if (!w) return;
    var name = Q.name(w);
    var title = t("window_n", {n: w.number});
    $("title").textContent = title + (name && name !== title ? " · " + name : "");
    var ticket = $("ticket");
    var text = w.current ? w.current.number : "—";
    if (ticket.textContent !== text) ticket.textContent = text;
    var serving = w.current && w.current.status === "serving";
    ticket.className = w.current ? (serving ? "serving" : "") : "empty";
    $("label").textContent = w.current ? t(serving ? "window.serving" : "window.called") : t("window.idle");
    var staff = w.posts.length ? w.posts.map(person).join("") : '<p class="nostaff">' + esc(t("window.nostaff")) + "</p>";
    if (staff !== staffKey) { staffKey = staff; $("staff").innerHTML = staff; }
    var st = $("state");
    if (w.state === "open") { st.style.display = "none"; return; }
    st.style.display = "block";
    st.innerHTML = esc(t(w.state === "paused" ? "window.paused" : "window.closed")) +
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
