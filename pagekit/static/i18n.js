/* The page's language (the <html lang> the server rendered, or the page switched to) and its
   words: the server's labels of the codes it sends (GET /api/v1/labels, queue_core/labels.py)
   and a page's own zh/en sentences, filled the same way everywhere. */
(function () {
  "use strict";
  var Q = window.Queuehall = window.Queuehall || {};

  /* "zh" or "en", read each time: the kiosk switches languages without a reload. */
  Q.lang = function () { return document.documentElement.lang === "en" ? "en" : "zh"; };
  Q.locale = function () { return Q.lang() === "zh" ? "zh-CN" : "en-GB"; };
  /* A name the server sends in both languages (sites, categories, windows). */
  Q.name = function (item) {
    return !item ? "" : Q.lang() === "zh" ? item.name_zh : (item.name_en || item.name_zh);
  };

  /* A page's sentences: words({zh: {...}, en: {...}}) gives t(key, values), in the page's
     language at the time of the call. A sentence is a string with {name} slots or a function. */
  Q.words = function (table) {
    return function (key) {
      var said = table[Q.lang()][key];
      if (typeof said === "function") return said.apply(null, [].slice.call(arguments, 1));
      if (said == null) return key;
      var values = arguments[1] || {};
      return Object.keys(values).reduce(function (s, k) { return s.split("{" + k + "}").join(values[k]); }, said);
    };
  };

  /* The server's labels in the page's language; `labels()` resolves once they are here (or
     could not be read: then a code shows as itself). */
  var loaded = {}, table = {};
  Q.labels = function () {
    var lang = Q.lang();
    if (!loaded[lang]) {
      loaded[lang] = Q.api("GET", "/labels?lang=" + lang).then(function (r) { table[lang] = r.labels; },
                                                                function () { delete loaded[lang]; });
    }
    return loaded[lang];
  };
  Q.label = function (group, code) { return ((table[Q.lang()] || {})[group] || {})[code] || code; };
})();
