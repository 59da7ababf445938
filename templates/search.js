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

  // ``text`` compared without regard to case or accents, in any language ("reflexion" finds
  // "reflexión"): each character folded on its own (NFD, its combining marks dropped), so a
  // match in the folded text is at the same place in the text shown (the index is NFC)
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      var d = c.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
      var lower = c.toLowerCase();
      out += d.length === 1 ? d : (lower.length === 1 ? lower : c);
    }
    return out;
  }
  index.forEach(function (entry) {
    entry.folded = { heading: fold(entry.heading), text: fold(entry.text), page: fold(entry.page) };
  });

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1; });
  }

  // a term matches where a word starts with it ("smart" finds "SMART", "mentor" "mentoring")
  function starts(term, flags) {
    return new RegExp("(?<![\\p{L}\\p{N}])" + term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), flags);
  }

  function score(entry, terms) {
    var total = 0, folded = entry.folded;
    for (var i = 0; i < terms.length; i++) {
      var inHeading = terms[i].test(folded.heading);
      var inText = terms[i].test(folded.text);
      if (!inHeading && !inText && !terms[i].test(folded.page)) { return 0; }
      total += (inHeading ? 5 : 0) + (inText ? 1 : 0) + 0.5;
    }
    return total;
  }

  var SHOWN = 8;  // the number of results listed
  var AROUND = 60, LENGTH = 160;  // characters of a snippet before its first match, in all
  var COUNTS = [{% for n in range(1, 9) %}{{ ngettext("%(num)s result", "%(num)s results", n) | tojson }}{{ ", " if not loop.last }}{% endfor %}];
  var NONE = {{ _("No results for “%(query)s”", query="%(query)s") | tojson }};
  var SEPARATORS = /^[\s;:\u00b7,]+|[\s;:\u00b7,]+$/g;

  function pattern(terms) {  // any of the terms, to find and mark them all
    return new RegExp(terms.map(function (t) { return starts(t, "u").source; }).join("|"), "giu");
  }

  // ``text`` with every match of ``re`` (in its folded form) in a <mark>, into ``parent``
  function marked(parent, text, re) {
    var from = 0, found, folded = fold(text);
    re.lastIndex = 0;
    while ((found = re.exec(folded)) !== null) {
      if (!found[0]) { re.lastIndex++; continue; }
      parent.appendChild(document.createTextNode(text.slice(from, found.index)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(found.index, found.index + found[0].length);
      parent.appendChild(mark);
      from = found.index + found[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(from)));
    return parent;
  }

  // about LENGTH characters of ``text`` around its first match, cut between words
  function snippet(text, re) {
    re.lastIndex = 0;
    var found = re.exec(fold(text));
    var at = found ? found.index : 0;
    var start = 0, end = text.length;
    if (at > AROUND) {
      var space = text.indexOf(" ", at - AROUND);
      start = space !== -1 && space < at ? space + 1 : text.lastIndexOf(" ", at) + 1;
    }
    if (start + LENGTH < text.length) {
      var cut = text.lastIndexOf(" ", start + LENGTH);
      end = cut > start ? cut : start + LENGTH;
    }
    var piece = text.slice(start, end).replace(SEPARATORS, "");
    return (start > 0 ? "\u2026" : "") + piece + (end < text.length ? "\u2026" : "");
  }

  function show(query) {
    var terms = words(query);
    list.textContent = "";
    status.className = "search-status visually-hidden";
    if (!terms.length) { status.textContent = ""; list.hidden = true; return; }
    var re = pattern(terms);
    var tests = terms.map(function (t) { return starts(t, "iu"); });
    var hits = index.map(function (entry) { return { entry: entry, score: score(entry, tests) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score; })
      .slice(0, SHOWN);
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var where = document.createElement("span");
      where.className = "search-page";
      where.textContent = hit.entry.page;
      var link = marked(document.createElement("a"), hit.entry.heading, re);
      link.href = hit.entry.url;
      item.appendChild(where);
      item.appendChild(link);
      if (hit.entry.text) {
        item.appendChild(marked(document.createElement("p"), snippet(hit.entry.text, re), re));
      }
      list.appendChild(item);
    });
    list.hidden = !hits.length;
    if (hits.length) {
      status.textContent = COUNTS[hits.length - 1];
    } else {  // said, and shown where the results would be
      status.textContent = NONE.replace("%(query)s", function () { return query.trim(); });
      status.className = "search-status search-none";
    }
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
  // the results close when the focus leaves the search, and come back with it
  form.addEventListener("focusout", function (event) {
    if (!form.contains(event.relatedTarget)) { list.hidden = true; status.className = "search-status visually-hidden"; }
  });
  input.addEventListener("focus", function () { if (input.value) { show(input.value); } });
}());
