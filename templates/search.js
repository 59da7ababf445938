/* The site's script: works offline from file://.
   On a phone the navigation is one row that scrolls sideways: it is scrolled to show the
   current page. Site search reads window.MENTORBOOK_SEARCH. */
(function () {
  "use strict";
  var row = document.querySelector(".site-nav ol");
  var here = row && row.querySelector("[aria-current=page]");
  function showHere() {
    if (row.scrollWidth <= row.clientWidth) { return; }
    var box = row.getBoundingClientRect(), link = here.getBoundingClientRect();
    row.scrollLeft += (link.left + link.right - box.left - box.right) / 2;  // centred, in either direction
  }
  if (here) {
    showHere();
    window.addEventListener("load", showHere);  // again once the fonts have their widths
  }
}());

(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !list) { return; }
  var index = window.MENTORBOOK_SEARCH || [];

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1; });
  }

  function score(entry, terms) {
    var heading = entry.heading.toLowerCase();
    var text = entry.text.toLowerCase();
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      var inHeading = heading.indexOf(t) !== -1;
      var inText = text.indexOf(t) !== -1;
      if (!inHeading && !inText && entry.page.toLowerCase().indexOf(t) === -1) { return 0; }
      total += (inHeading ? 5 : 0) + (inText ? 1 : 0) + 0.5;
    }
    return total;
  }

  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var at = lower.indexOf(terms[0]);
    var start = Math.max(0, at - 60);
    var piece = text.slice(start, start + 160);
    return (start > 0 ? "\u2026" : "") + piece + (start + 160 < text.length ? "\u2026" : "");
  }

  function show(query) {
    var terms = words(query);
    list.textContent = "";
    if (!terms.length) { status.textContent = ""; list.hidden = true; return; }
    var hits = index.map(function (entry) { return { entry: entry, score: score(entry, terms) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score; })
      .slice(0, 8);
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.entry.url;
      link.textContent = hit.entry.heading;
      var where = document.createElement("span");
      where.className = "search-page";
      where.textContent = hit.entry.page;
      var text = document.createElement("p");
      text.textContent = snippet(hit.entry.text, terms);
      item.appendChild(link);
      item.appendChild(where);
      item.appendChild(text);
      list.appendChild(item);
    });
    list.hidden = false;
    status.textContent = hits.length ? hits.length + {{ _(" result") | tojson }} + (hits.length === 1 ? "" : {{ _("s") | tojson }})
                                     : {{ _("No results for \u201c") | tojson }} + query + {{ _("\u201d") | tojson }};
  }

  input.addEventListener("input", function () { show(input.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    var first = list.querySelector("a");
    if (first) { first.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.activeElement === input) { input.value = ""; show(""); }
  });
}());
