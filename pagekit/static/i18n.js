/* The page's language (the <html lang> the server rendered, or the page switched to) and its
   words: the server's labels of the codes it sends (GET /api/v1/labels, queue_core/labels.py)
   and the page's own zh/en sentences, filled the same way everywhere. */
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

  /* The page's sentences (pagekit/words.py), written into its <head> as JSON data:
     t(key, values, lang) in the page's language at the time of the call (or `lang`), {name}
     slots filled from `values`; a key the catalogue lacks shows as itself (a test keeps every
     key a script uses in the catalogue). */
  var sentences = null;
  Q.t = function (key, values, lang) {
    if (!sentences) {
      var data = document.getElementById("page-words");
      sentences = data ? JSON.parse(data.textContent) : {zh: {}, en: {}};
    }
    var said = sentences[lang || Q.lang()][key];
    if (said == null) return key;
    if (typeof said !== "string") return said;
    values = values || {};
    return said.replace(/\{(\w+)\}/g, function (slot, name) {
      return values[name] == null ? slot : String(values[name]);
    });
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
