/* Requests to the hall's JSON API as this page: a console with its session (the CSRF token of
   <meta name="csrf-token"> on every change), a device with its bearer token; in the page's
   language. An answer that is not 2xx rejects with an Error carrying the API's translated
   message, its code, params and HTTP status; a network failure or timeout rejects with
   status 0. */
(function () {
  "use strict";
  var Q = window.Queuehall = window.Queuehall || {};
  var bearer = null, csrf = null, skew = 0;

  /* A device's token arrives once in the address as #token=… (a fragment never reaches the
     server or its logs; ?token=… is still read for links made before), is kept by the browser
     under `key` and removed from the address at once. Requests then carry it in a header. */
  Q.deviceToken = function (key) {
    var url = new URL(location.href), hash = new URLSearchParams(url.hash.slice(1));
    if (hash.has("token") || url.searchParams.has("token")) {
      var given = hash.get("token") || url.searchParams.get("token");
      if (given) localStorage.setItem(key, given);
      hash.delete("token");
      url.searchParams.delete("token");
      url.hash = hash.toString();
      history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
    bearer = localStorage.getItem(key);
    return bearer;
  };

  /* A console that signs in without a reload gets its session's new CSRF token in the answer. */
  Q.useCsrf = function (token) { csrf = token; };

  function failure(status, answer, fallback) {
    var error = (answer && answer.error) || {};
    var e = new Error(error.message || fallback || String(status));
    e.status = status; e.code = error.code || null; e.params = error.params || {}; e.body = answer || {};
    return e;
  }

  /* request(method, url, body, {timeout, etag}): the JSON answer. With `etag` (a conditional
     read: the ETag of the last answer, or null) it resolves to {body, etag}, body null for a 304. */
  Q.request = function (method, url, body, options) {
    options = options || {};
    var headers = {"Accept": "application/json", "Accept-Language": Q.lang() === "zh" ? "zh-CN" : "en"};
    var conditional = options.etag !== undefined;
    if (options.etag) headers["If-None-Match"] = options.etag;
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (method !== "GET" && (csrf || meta)) headers["X-CSRFToken"] = csrf || meta.content;
    if (bearer) headers.Authorization = "Bearer " + bearer;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    var controller = new AbortController(), timer = null;
    if (options.timeout) timer = setTimeout(function () { controller.abort(); }, options.timeout);
    return fetch(url, {method: method, headers: headers, credentials: "same-origin", signal: controller.signal,
                       cache: conditional ? "no-store" : "default",
                       body: body === undefined ? undefined : JSON.stringify(body)})
      .then(function (r) {
        clearTimeout(timer);
        var said = Date.parse(r.headers.get("Date") || "");
        if (!isNaN(said)) skew = said + 500 - Date.now();  // the header has whole seconds
        if (r.status === 304) return {body: null, etag: options.etag};
        return r.json().catch(function () { return null; }).then(function (answer) {
          if (r.status === 401 && Q.request.onUnauthorized) Q.request.onUnauthorized();
          if (!r.ok) throw failure(r.status, answer, r.statusText);
          return conditional ? {body: answer, etag: r.headers.get("ETag")} : answer;
        });
      }, function (e) { clearTimeout(timer); throw failure(0, null, e.message); });
  };
  /* The same below /api/v1. */
  Q.api = function (method, path, body, options) { return Q.request(method, "/api/v1" + path, body, options); };
  /* The server's clock (from the answers' Date), so timers agree with its timestamps. */
  Q.serverNow = function () { return Date.now() + skew; };
})();
