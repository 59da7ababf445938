"""The automatic eye for pages in Chromium: what a reader would see wrong on a page.

``look(page)`` returns one line per defect on the page as laid out now:

- two boxes of text that overlap (the line boxes of every visible text node, from
  ``Range.getClientRects()``, and the text a stylesheet adds with ``::before`` or
  ``::after``, which is laid out as a real element for the measure);
- text that runs past either side of the viewport;
- a chip (``.chip``) stretched far wider than its text;
- the current page's link (``nav [aria-current=page]``) out of view in a navigation
  that scrolls;
- a Python representation (``{'`` or ``['``) in visible text, or raw choice ids
  (``ids``: ids whose label is another text) standing for a whole piece of text in a
  worksheet or a table.

Text that nobody sees is left out: hidden, transparent, clipped away by an ancestor
(a scroll box, a visually hidden label) or moved off the page to the left.
"""

from __future__ import annotations

LOOK = r"""
([ids, slack]) => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const rawIds = new Set(ids);

  // The text of ::before / ::after: laid out as real elements styled as the pseudo-element was.
  const made = [];
  const strip = document.createElement("style");
  strip.textContent = "[data-eye-before]::before, [data-eye-after]::after { content: none !important; }";
  function pseudoText(el, which) {
    const content = getComputedStyle(el, which).content;
    if (!content || content === "none" || content === "normal") { return ""; }
    // a list of attr(NAME) and "strings" (counters, images and quotes are left out)
    const parts = [...content.matchAll(/\s*(?:attr\(([\w-]+)\)|"((?:[^"\\]|\\.)*)")/gy)];
    if (parts.map(p => p[0]).join("") !== content) { return ""; }
    return parts.map(p => p[1] ? el.getAttribute(p[1]) || "" : p[2].replace(/\\(.)/g, "$1")).join("");
  }
  for (const el of document.body.querySelectorAll("*")) {
    for (const which of ["::before", "::after"]) {
      const text = pseudoText(el, which);
      if (!/[\p{L}\p{N}]/u.test(text)) { continue; }
      const style = getComputedStyle(el, which);
      const span = document.createElement("span");
      for (let i = 0; i < style.length; i++) {
        const name = style[i];
        if (name !== "content") { span.style.setProperty(name, style.getPropertyValue(name)); }
      }
      span.textContent = text;
      span.dataset.eyePseudo = which;
      made.push([el, which, span]);
    }
  }
  for (const [el, which, span] of made) {
    el.setAttribute(which === "::before" ? "data-eye-before" : "data-eye-after", "");
    if (which === "::before") { el.prepend(span); } else { el.append(span); }
  }
  document.head.append(strip);

  // The part of a box left visible by the ancestors that clip their content.
  function clipFor(el) {
    let box = {x0: -Infinity, y0: -Infinity, x1: Infinity, y1: Infinity};
    for (let a = el; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const cs = getComputedStyle(a);
      const clips = cs.overflowX !== "visible" || cs.overflowY !== "visible" || cs.clip !== "auto"
        || cs.clipPath !== "none" || /paint|strict|content/.test(cs.contain);
      if (clips) {
        const r = a.getBoundingClientRect();
        const x0 = r.left + a.clientLeft, y0 = r.top + a.clientTop;
        const x1 = cs.overflowX === "visible" ? Infinity : x0 + a.clientWidth;
        const y1 = cs.overflowY === "visible" ? Infinity : y0 + a.clientHeight;
        box = {x0: Math.max(box.x0, cs.overflowX === "visible" ? -Infinity : x0),
               y0: Math.max(box.y0, cs.overflowY === "visible" ? -Infinity : y0),
               x1: Math.min(box.x1, x1), y1: Math.min(box.y1, y1)};
        if (cs.clip !== "auto" || cs.clipPath !== "none") {  // clipped to its own box at most
          box = {x0: Math.max(box.x0, r.left), y0: Math.max(box.y0, r.top),
                 x1: Math.min(box.x1, r.right), y1: Math.min(box.y1, r.bottom)};
        }
      }
      if (cs.position === "fixed") { break; }
    }
    return box;
  }

  const where = el => {
    const bits = [];
    for (let a = el; a && a !== document.body && bits.length < 3; a = a.parentElement) {
      bits.unshift(a.tagName.toLowerCase() + (a.id ? "#" + a.id : "")
                   + (a.classList.length ? "." + [...a.classList].join(".") : ""));
    }
    return bits.join(" > ");
  };
  const short = text => text.length > 40 ? text.slice(0, 40) + "\u2026" : text;

  const boxes = [];
  const seen = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let index = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data.replace(/\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("script, style, noscript, template")) { continue; }
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) { continue; }
    range.selectNodeContents(node);
    const clip = clipFor(el);
    let shown = false;
    for (const r of range.getClientRects()) {
      const x0 = Math.max(r.left, clip.x0), x1 = Math.min(r.right, clip.x1);
      const y0 = Math.max(r.top, clip.y0), y1 = Math.min(r.bottom, clip.y1);
      if (x1 - x0 < 2 || y1 - y0 < 2) { continue; }  // clipped away, or a lone space
      if (x1 <= 0) { continue; }  // moved off the page on purpose (a skip link)
      shown = true;
      boxes.push({x0, y0, x1, y1, node: index, text, el});
      if (x0 < -1 || x1 > vw + 1) {
        problems.push(`text runs past the ${x0 < -1 ? "left" : "right"} edge ` +
                      `(${Math.round(x0)}..${Math.round(x1)} of ${vw}px): "${short(text)}" in ${where(el)}`);
      }
    }
    if (shown) { seen.push([text, el]); }
    index++;
  }

  // Overlaps: line boxes of two different texts sharing more than a sliver. A line box
  // is as tall as the font, a little taller than tight lines, hence the vertical slack.
  boxes.sort((a, b) => a.y0 - b.y0);
  const reported = new Set();
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].y0 < a.y1; j++) {
      const b = boxes[j];
      if (a.node === b.node) { continue; }
      const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (w > 2 && h > slack * Math.min(a.y1 - a.y0, b.y1 - b.y0)) {
        const key = a.node + "/" + b.node;
        if (reported.has(key)) { continue; }
        reported.add(key);
        problems.push(`text overlaps text (${Math.round(w)}x${Math.round(h)}px at ` +
                      `${Math.round(Math.max(a.x0, b.x0))},${Math.round(Math.max(a.y0, b.y0) + scrollY)}): ` +
                      `"${short(a.text)}" in ${where(a.el)} and "${short(b.text)}" in ${where(b.el)}`);
      }
    }
  }

  // a chip (a status, a choice) as wide as its text, not stretched across its cell
  for (const chip of document.querySelectorAll(".chip")) {
    if (!chip.checkVisibility()) { continue; }
    range.selectNodeContents(chip);
    const text = range.getBoundingClientRect().width, box = chip.getBoundingClientRect().width;
    if (box > text + 3 * parseFloat(getComputedStyle(chip).fontSize)) {
      problems.push(`a chip stretched to ${Math.round(box)}px around ${Math.round(text)}px of text: ` +
                    `"${short(chip.textContent.trim())}" in ${where(chip)}`);
    }
  }

  // the current page, in a navigation that scrolls, scrolled into view
  const here = document.querySelector("nav [aria-current=page]");
  if (here && here.checkVisibility()) {
    const r = here.getBoundingClientRect(), clip = clipFor(here.parentElement);
    if (r.left < clip.x0 - 1 || r.right > clip.x1 + 1 || r.left < -1 || r.right > vw + 1) {
      problems.push(`the current page's link is out of view in the navigation ` +
                    `(${Math.round(r.left)}..${Math.round(r.right)} of ` +
                    `${Math.round(Math.max(clip.x0, 0))}..${Math.round(Math.min(clip.x1, vw))}px): ` +
                    `"${short(here.textContent.replace(/\s+/g, " ").trim())}"`);
    }
  }

  for (const [text, el] of seen) {
    if (text.includes("{'") || text.includes("['")) {
      problems.push(`a Python representation in visible text: "${short(text)}" in ${where(el)}`);
    }
    const tokens = text.split(/[\s,;·]+/).filter(Boolean);
    if (el.closest(".worksheet, table") && tokens.length && tokens.every(t => rawIds.has(t))) {
      problems.push(`a choice id instead of its label: "${short(text)}" in ${where(el)}`);
    }
  }

  for (const [el, which, span] of made) {
    span.remove();
    el.removeAttribute(which === "::before" ? "data-eye-before" : "data-eye-after");
  }
  strip.remove();
  const counted = new Map();
  for (const p of problems) { counted.set(p, (counted.get(p) || 0) + 1); }
  return [...counted].map(([p, n]) => n > 1 ? `${p} (${n} times)` : p);
}
"""

# the share of the lower of two line boxes that may be covered by the other: adjacent
# lines of text set tighter than the font's height touch by up to a fifth of a line
SLACK = 0.3


def look(page, ids=()) -> list[str]:
    """Every defect the eye sees on ``page`` (a Playwright page), as one line each."""
    return page.evaluate(LOOK, [sorted(ids), SLACK])


def choice_ids(definitions) -> set[str]:
    """The choice ids of ``definitions`` (worksheet definitions) that a reader must never
    see in place of their labels: those whose label is another text."""
    ids: set[str] = set()

    def walk(fields):
        for f in fields:
            for choice in getattr(f, "choices", None) or ():
                if choice.value != choice.label:
                    ids.add(str(choice.value))
            walk(getattr(f, "fields", None) or ())

    for definition in definitions:
        walk(definition.fields)
    return ids
