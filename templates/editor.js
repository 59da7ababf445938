/* The browser editor's page script (`mentorbook edit`). The form works without it for
   plain fields; with it, entries can be added, removed and moved, fields with a condition
   show and hide as the answers change, and what is typed is kept in this browser
   (localStorage) until it is saved, through a reload or a restart of mentorbook.
   A template only for its texts. */
(function () {
  "use strict";
  var TEXT = {
    added: {{ _("Entry added.") | tojson }},
    removed: {{ _("Entry removed.") | tojson }},
    moved: {{ _("Moved to place %(place)s.", place="%(place)s") | tojson }},
    restored: {{ _("What you typed on %(when)s was kept in this browser and is filled in again; it is not saved yet.", when="%(when)s") | tojson }},
    older: {{ _("The file has changed since then: check the answers before you save.") | tojson }}
  };
  var STATUS = {{ status_url | tojson }};
  var form = document.querySelector("form.editor");
  var live = document.getElementById("ed-live");
  var pdf = document.getElementById("ed-pdf");
  var submitting = false;

  function say(text) {
    if (!live) { return; }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  // -- names: made from data-key (a step) and data-item (an entry) ------------------
  function items(list) {
    return Array.prototype.filter.call(list.children, function (c) { return c.hasAttribute("data-item"); });
  }
  function pathOf(element) {
    var parts = [];
    for (var node = element; node && node !== form; node = node.parentElement) {
      if (node.hasAttribute("data-key")) { parts.unshift("." + node.getAttribute("data-key")); }
      else if (node.hasAttribute("data-item")) { parts.unshift("[" + items(node.parentElement).indexOf(node) + "]"); }
    }
    return parts.join("").replace(/^\./, "");
  }
  function renumber() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-key][name]"), function (el) { el.name = pathOf(el); });
    Array.prototype.forEach.call(form.querySelectorAll("[data-item]"), function (item) {
      var place = items(item.parentElement).indexOf(item) + 1;
      Array.prototype.forEach.call(item.querySelectorAll("[data-number]"), function (span) {
        if (span.closest("[data-item]") === item) { span.textContent = String(place); }
      });
    });
  }

  // -- entries: add, remove, move ---------------------------------------------------
  var made = 0;
  function fresh(root) {
    var renamed = {}, prefix = "n" + (made += 1) + "-";  // one prefix: "x" and "x-about" stay a pair
    Array.prototype.forEach.call(root.querySelectorAll("[id]"), function (el) {
      renamed[el.id] = prefix + el.id;
      el.id = renamed[el.id];
    });
    ["for", "aria-describedby", "aria-labelledby"].forEach(function (attr) {
      Array.prototype.forEach.call(root.querySelectorAll("[" + attr + "]"), function (el) {
        el.setAttribute(attr, el.getAttribute(attr).split(" ").map(function (id) { return renamed[id] || id; }).join(" "));
      });
    });
    if (root.id) { root.id = prefix + root.id; }
  }
  function own(wrapper, selector) {
    return Array.prototype.filter.call(wrapper.querySelectorAll(selector), function (el) {
      return el.closest("[data-rows]") === wrapper;
    })[0];
  }
  function wire(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".ed-tools, .ed-add-row"), function (el) { el.hidden = false; });
  }
  function add(wrapper) {
    var list = own(wrapper, "[data-list]");
    var template = own(wrapper, "template[data-new]");
    var entry = template.content.firstElementChild.cloneNode(true);
    fresh(entry);
    wire(entry);
    list.appendChild(entry);
    renumber();
    conditions();
    return entry;
  }
  function firstInput(root) {
    return root.querySelector("input:not([type=hidden]), textarea, select");
  }
  form && form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !form.contains(button)) { return; }
    var item = button.closest("[data-item]");
    if (button.hasAttribute("data-add")) {
      var entry = add(button.closest("[data-rows]"));
      var target = firstInput(entry);
      if (target) { target.focus(); }
      say(TEXT.added);
    } else if (button.hasAttribute("data-remove") && item) {
      var list = item.parentElement, all = items(list), place = all.indexOf(item);
      var next = all[place + 1] || all[place - 1];
      item.remove();
      renumber();
      var focus = next ? next.querySelector("[data-remove]") : own(list.closest("[data-rows]"), "[data-add]");
      if (focus) { focus.focus(); }
      say(TEXT.removed);
    } else if (button.hasAttribute("data-move") && item) {
      var siblings = items(item.parentElement), at = siblings.indexOf(item);
      var to = at + Number(button.getAttribute("data-move"));
      if (to < 0 || to >= siblings.length) { return; }
      item.parentElement.insertBefore(item, to > at ? siblings[to].nextSibling : siblings[to]);
      renumber();
      button.focus();
      say(TEXT.moved.replace("%(place)s", String(to + 1)));
    } else {
      return;
    }
    keep();
  });

  // -- fields shown only when another answer has a value ---------------------------
  function scopeOf(element) {
    return element.parentElement.closest("[data-item], fieldset[data-key], div[data-key]");
  }
  function normal(text) {
    var value = String(text).trim().toLowerCase();
    return value === "true" ? "yes" : value === "false" ? "no" : value;
  }
  function answer(field) {
    var values = [];
    Array.prototype.forEach.call(field.querySelectorAll("input, select, textarea"), function (el) {
      if (el.type === "hidden") { return; }
      if (el.type === "checkbox") {
        if (el.checked) { values.push(el.value === "true" ? "yes" : normal(el.value)); }
        else if (el.value === "true") { values.push("no"); }
      } else if (el.type === "radio") {
        if (el.checked && el.value) { values.push(normal(el.value)); }
      } else if (el.value.trim()) { values.push(normal(el.value)); }
    });
    return values;
  }
  function conditions() {
    if (!form) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("[data-when]"), function (el) {
      var scope = scopeOf(el);
      var name = el.getAttribute("data-when"), wanted = JSON.parse(el.getAttribute("data-is"));
      var field = Array.prototype.filter.call(scope.querySelectorAll("[data-field]"), function (f) {
        return f.getAttribute("data-field") === name && scopeOf(f) === scope;
      })[0];
      var shown = field ? answer(field).some(function (v) { return wanted.indexOf(v) !== -1; }) : true;
      el.classList.toggle("ed-off", !shown);
    });
  }

  // -- what is typed, kept in this browser until it is saved ------------------------
  var key = form ? "mentorbook-draft:" + form.getAttribute("data-draft") + ":" + form.getAttribute("data-sheet") : "";
  function snapshot() {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.charAt(0) === "!") { return; }
      fields.push([el.name, el.type, el.value, (el.type === "checkbox" || el.type === "radio") ? el.checked : true]);
    });
    return fields;
  }
  var timer = null;
  function keep(now) {
    if (!form) { return; }
    window.clearTimeout(timer);
    var store = function () {
      try {
        localStorage.setItem(key, JSON.stringify({base: form.getAttribute("data-base"), at: Date.now(), fields: snapshot()}));
      } catch (e) { /* a full or disabled storage: the form still works */ }
    };
    if (now) { store(); } else { timer = window.setTimeout(store, 250); }
  }
  function rebuild(draft) {
    var names = draft.fields.map(function (f) { return f[0]; });
    for (var pass = 0; pass < 8; pass += 1) {
      var changed = false;
      Array.prototype.forEach.call(form.querySelectorAll("[data-rows]"), function (wrapper) {
        var list = own(wrapper, "[data-list]"), prefix = pathOf(wrapper);
        if (!list) { return; }
        var count = 0;
        names.forEach(function (name) {
          var match = name.slice(0, prefix.length + 1) === prefix + "[" && /^\[(\d+)\]/.exec(name.slice(prefix.length));
          if (match) { count = Math.max(count, Number(match[1]) + 1); }
        });
        var have = items(list);
        for (var i = have.length; i < count; i += 1) { add(wrapper); changed = true; }
        for (var j = have.length - 1; j >= count; j -= 1) { have[j].remove(); changed = true; }
      });
      renumber();
      if (!changed) { break; }
    }
  }
  function restore(draft) {
    rebuild(draft);
    var byName = {};
    draft.fields.forEach(function (f) { (byName[f[0]] = byName[f[0]] || []).push(f); });
    Array.prototype.forEach.call(form.elements, function (el) {
      var saved = byName[el.name];
      if (!saved || el.name.charAt(0) === "!") { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = saved.some(function (f) { return f[2] === el.value && f[3]; });
      } else {
        var same = saved.filter(function (f) { return f[1] === el.type; });
        el.value = (same[0] || saved[0])[2];
      }
    });
    conditions();
  }
  function when(time) {
    try { return new Date(time).toLocaleString(document.documentElement.lang || undefined); } catch (e) { return ""; }
  }
  function start() {
    if (!form) { return; }
    wire(form);
    renumber();
    conditions();
    var draft = null;
    try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { draft = null; }
    if (form.hasAttribute("data-saved") || form.hasAttribute("data-discard")) {
      try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    } else if (draft && draft.fields && JSON.stringify(draft.fields) !== JSON.stringify(snapshot())) {
      restore(draft);
      var notice = document.getElementById("ed-draft");
      notice.querySelector("[data-text]").textContent = TEXT.restored.replace("%(when)s", when(draft.at)) +
        (draft.base !== form.getAttribute("data-base") ? " " + TEXT.older : "");
      notice.hidden = false;
      say(notice.querySelector("[data-text]").textContent);
    }
    form.addEventListener("input", function () { conditions(); keep(); });
    form.addEventListener("change", function () { conditions(); keep(); });
    form.addEventListener("submit", function () { submitting = true; keep(true); });
    var discard = document.querySelector("#ed-draft [data-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
        window.location.reload();
      });
    }
    var first = document.getElementById("ed-saved") || document.getElementById("ed-summary");
    if (first && form.hasAttribute("data-saved")) { first.focus(); }
  }

  // -- the file and the PDF, as the server sees them ---------------------------------
  var pdfState = pdf ? pdf.getAttribute("data-pdf") : "";
  function poll() {
    fetch(STATUS, {cache: "no-store", credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      if (form && s.digest && s.digest !== form.getAttribute("data-base") && !submitting) {
        document.getElementById("ed-outside").hidden = false;
      }
      if (pdf && s.pdf && s.pdf.state !== pdfState) {
        pdfState = s.pdf.state;
        pdf.setAttribute("data-pdf", pdfState);
        pdf.textContent = s.pdf.text + " ";
        if (s.pdf.href) {
          var link = document.createElement("a");
          link.href = s.pdf.href;
          link.textContent = s.pdf.link;
          pdf.appendChild(link);
        }
        if (pdfState === "ready" || pdfState === "failed") { say(s.pdf.text); }
      }
    }).catch(function () { /* the server is restarting: try again */ }).then(function () {
      window.setTimeout(poll, 1500);
    });
  }
  start();
  poll();
}());
