// The instructor's dashboard: polls state.json and redraws. Every text that
// came from a learner is set with textContent, never as HTML. Nothing is
// shown only on hover: what a cell means is in the legend, and everything
// about a learner is on their page (#learner/ID).
"use strict";

const POLL_MS = 3000;

let lastState = null;
let stuckBefore = null; // learner ids stuck at the previous poll; null before the first
let announced = new Set(); // learner ids the announcement names (announce)
let bannerDecided = false;
let detailTimer = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== "") e.append(c);
  return e;
}

function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

function seconds(iso, now) {
  return Math.max(0, (Date.parse(now) - Date.parse(iso)) / 1000);
}

// ago is "40 s ago", "12 min ago", "2 h ago".
function ago(iso, now) {
  if (!iso) return "";
  const s = seconds(iso, now);
  if (s < 60) return Math.round(s) + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  return (s / 3600).toFixed(1) + " h ago";
}

// short is a duration in the grid's narrow columns: "40s", "12m", "2h05".
function short(iso, now) {
  if (!iso) return "";
  const s = seconds(iso, now);
  if (s < 60) return Math.round(s) + "s";
  if (s < 3600) return Math.floor(s / 60) + "m";
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h + "h" + String(m).padStart(2, "0");
}

function exerciseName(key) { return key.slice(key.indexOf("/") + 1); }

function learnerLink(id, name) {
  return el("a", { href: "#learner/" + id, class: "who", text: name });
}

// textWidth measures a text as the grid draws it. A grid of 300 learners
// has thousands of cells, mostly of a few texts ("✓", "…"): each is
// measured once per font.
const measurer = document.createElement("canvas").getContext("2d");
const textWidths = new Map();
function textWidth(text, font, weight) {
  const f = (weight || 400) + " " + font + "px system-ui, sans-serif";
  const key = f + "\n" + text;
  if (!textWidths.has(key)) {
    measurer.font = f;
    textWidths.set(key, measurer.measureText(text).width);
  }
  return textWidths.get(key);
}

// INFO_COLUMNS are the grid's columns before the exercises.
const INFO_COLUMNS = ["name", "on", "for", "seen", "laptop"];

// columns are the grid's columns after INFO_COLUMNS, lesson by lesson: one
// per exercise ({lesson, exercise}), and for a lesson of quizzes only, one
// for its quizzes ({lesson}). The quizzes of a lesson with exercises count
// in each learner's page and in the course key, not in columns of their
// own: the grid of the whole course fills a 1024x768 projector as it is.
function columns(state) {
  return state.lessons.flatMap(l => l.exercises.length ? l.exercises.map(x => ({ lesson: l, exercise: x })) : [{ lesson: l }]);
}

// quizzes is "1 quiz", "7 quizzes".
function quizzes(n) { return n + (n === 1 ? " quiz" : " quizzes"); }
function learners(n) { return n + (n === 1 ? " learner" : " learners"); }

// quizTally is how a learner stands with a lesson's quizzes: how many they
// answered, how many of those are right (their latest answer), how many
// wrong.
function quizTally(learner, lesson) {
  const t = { answered: 0, right: 0, wrong: 0, of: lesson.quizzes.length };
  for (const q of lesson.quizzes) {
    const a = learner.quizzes[q.key];
    if (!a) continue;
    t.answered++;
    if (a.right) t.right++; else t.wrong++;
  }
  return t;
}

// SIDE_LEAST is the narrowest the side panel gets beside the grid: at
// 1024x768 the whole built-in course, its lesson of quizzes only too, fits
// beside it, and the join code still shows whole.
const SIDE_LEAST = 144;

// NAME_LEAST is how many characters of every name the grid keeps, besides
// the NEW tag, unless the window is too narrow even for that; NAME_MIN is
// how many it keeps then, before the side panel goes below the grid.
const NAME_LEAST = 16, NAME_MIN = 12;

// CELL_EXTRA is what a grid cell adds to its text: 2px of padding either
// side, its border, and a pixel so that rounding never cuts a letter.
// COUNT_EXTRA is the same for a cell of an exercise's column, which has no
// padding: its share of the borders it shares with its neighbours, its
// text's width rounded up. A pixel more would push the whole course at
// 1024x768 below the side panel.
const CELL_EXTRA = 6, COUNT_EXTRA = 1;

// widths are the grid's column widths at font size f. Each column before
// the exercises has a least (a name's first NAME_LEAST characters and the
// "…" after them, the exercise's label "4.1", the time without "idle") and
// a full width (the whole name up to 14 em beside its NEW tag, "4.1
// run-and-exit", "idle 12m"), each as wide as its widest text in this
// room, headers included. Each exercise's column (cells) is at least as
// wide as its widest text too, its header's, its top rows' and every
// learner's, so that "⚠10" never shows as "⚠1": counts are never cut.
function widths(state, f) {
  const tw = (text, weight, size) => textWidth(text, size || f, weight);
  const widest = (...ws) => Math.ceil(Math.max(0, ...ws)) + CELL_EXTRA;
  const ls = state.learners;
  // The NEW tag: its text, its padding (.tag), the space after it.
  const newTag = tw("NEW", 700, f * 0.85) + 6 + tw(" ", 600);
  const cut = (text, n) => text.length > n ? text.slice(0, n) + "…" : text;
  const name = n => l => (l.newly_stuck ? newTag : 0) + (n ? tw(cut(l.name, n), 600) : Math.min(tw(l.name, 600), f * 14));
  const seen = (l, idle) => (idle && l.idle ? awayWord(l) + " " : "") + (l.last_seen ? short(l.last_seen, state.now) : "—");
  const w = {
    name: { min: widest(tw("Learner", 700), ...ls.map(name(NAME_MIN))),
      least: widest(tw("Learner", 700), ...ls.map(name(NAME_LEAST))), full: widest(...ls.map(name(0))) },
    on: { least: widest(tw("On", 700), tw("—"), ...ls.map(l => tw(l.current_label || ""))),
      full: widest(tw("Now on", 700), ...ls.map(l => l.current ? tw(l.current_label + " " + exerciseName(l.current)) : 0)) },
    seen: { least: widest(tw("Seen", 700), ...ls.map(l => tw(seen(l, false), l.idle ? 700 : 400))),
      full: widest(tw("Seen", 700), ...ls.map(l => tw(seen(l, true), l.idle ? 700 : 400))) },
    forW: widest(tw("For", 700), ...ls.map(l => tw(short(l.on_current_since, state.now)))),
    ready: widest(tw("Ready", 700), tw("NOT", 700), tw("ok"), tw("?")),
    cell: Math.max(16, Math.round(f * 1.6)), maxCell: Math.round(f * 3), font: f,
  };
  w.name.full = Math.max(w.name.least, w.name.full);
  w.on.full = Math.max(w.on.least, w.on.full);
  const fit = (text, weight, sign) => Math.ceil((sign ? tw(sign, weight, f * SIGN_SIZE) : 0) + tw(text, weight)) + COUNT_EXTRA;
  w.cells = columns(state).map(c => {
    const n = paceOf(c);
    return Math.max(w.cell, fit(headText(c), 400),
      ...Object.keys(PACE_WEIGHTS).map(k => fit(paceText(n[k]), n[k] ? PACE_WEIGHTS[k] : 400)),
      ...ls.map(l => { const lk = look(l, c); return fit(lk.text, lk.weight, lk.sign); }));
  });
  w.allCells = w.cells.reduce((a, b) => a + b, 0);
  return w;
}

// layout fits the grid to the window: one row per learner plus five
// header rows in the window's height, every exercise in its width beside
// the side panel. Every column first gets its least width (an exercise's,
// its widest text), at the largest font where that fits; at the smallest
// font the side panel gives up width (down to SIDE_LEAST), and then the
// names (down to NAME_MIN characters; a learner's page shows everything).
// What is left goes to whole names, then the exercises' names beside their
// labels, then "idle" in Seen, then wider cells. When even that does not
// fit (a phone), the side panel goes below the grid (#room.stacked), the
// page scrolls and the cells scroll sideways under the names: only the
// columns before them fit the width. It starts from an estimate and
// corrects it with the sizes the browser measures.
function layout(state) {
  const panel = document.getElementById("grid-panel"), table = document.getElementById("grid");
  const root = document.documentElement.style;
  const rows = Math.max(state.learners.length, 1) + 5;
  const nEx = Math.max(columns(state).length, 1);
  // Side by side the page has no scroll bar: the window's width, whatever
  // the last layout was.
  let W = window.innerWidth, stacked = false;
  const measured = [];
  const widthsAt = f => measured[f] || (measured[f] = widths(state, f));
  // room is the width left at font f beside a side panel this wide, once
  // every column has its least (or the names this much).
  const room = (w, side, name = w.name.least) => W - side - 12 - name - w.on.least - w.seen.least - w.forW - w.ready - (stacked ? 0 : w.allCells);
  const w10 = widthsAt(10);
  stacked = room(w10, SIDE_LEAST, w10.name.min) < 0;
  document.getElementById("room").classList.toggle("stacked", stacked);
  W = document.documentElement.clientWidth; // less the page's scroll bar, stacked
  const sideWish = stacked ? 0 : Math.round(clamp(W * 0.2, 250, 440));
  const availH = panel.clientHeight - 8;
  // wanted is what is left once the names are whole and the exercises'
  // names show beside their labels (six letters and more).
  const wanted = (w, side) => room(w, side) - (w.name.full - w.name.least) - Math.min(w.on.full - w.on.least, Math.round(w.font * 6));
  const apply = (rowH, fontMax) => {
    let font = fontMax;
    while (font > 10 && room(widthsAt(font), sideWish) < 0) font--;
    // Whole names and the exercises' names are worth a font one pixel
    // smaller, but not the smallest: that is for fitting at all.
    if (font > 11 && wanted(widthsAt(font), sideWish) < 0 && wanted(widthsAt(font - 1), sideWish) >= 0) font--;
    const w = widthsAt(font);
    const side = stacked ? 0 : clamp(sideWish + room(w, sideWish), SIDE_LEAST, sideWish);
    root.setProperty("--side-w", side + "px");
    let left = room(w, side);
    const grow = (least, full) => { const g = clamp(left, 0, full - least); left -= g; return least + g; };
    let name = grow(w.name.least, w.name.full);
    if (left < 0) name = Math.max(w.name.min, name + left);
    // An exercise's name beside its label only when six letters of it show.
    const exNames = left >= Math.min(w.on.full - w.on.least, font * 4);
    const on = exNames ? grow(w.on.least, w.on.full) : w.on.least;
    const wholeSeen = left >= w.seen.full - w.seen.least;
    const seen = wholeSeen ? grow(w.seen.least, w.seen.full) : w.seen.least;
    // Every column grows to cell, one already wider keeps its width: never
    // more than left in all.
    const cell = stacked ? w.cell : clamp(w.cell + Math.floor(left / nEx), w.cell, Math.max(w.cell, w.maxCell));
    const cells = w.cells.map(c => Math.max(c, cell));
    table.classList.toggle("short-on", !exNames);
    table.classList.toggle("short-seen", !wholeSeen);
    const onHead = table.querySelector("th.h-on");
    if (onHead) onHead.textContent = exNames ? "Now on" : "On";
    root.setProperty("--row-h", rowH + "px");
    root.setProperty("--font", font + "px");
    root.setProperty("--cell-w", cell + "px");
    const cols = [name, on, w.forW, seen, w.ready];
    const all = cols.concat(cells);
    document.querySelectorAll("#cols col").forEach((c, i) => { c.style.width = all[i] + "px"; });
    // A fixed layout takes the columns' widths only from a table of a set width.
    table.style.width = all.reduce((a, b) => a + b) + "px";
    return table.offsetHeight;
  };
  if (stacked) { // the page scrolls: rows a finger can hit
    apply(22, 13);
    return;
  }
  const fontFor = rowH => Math.round(clamp(rowH * 0.72, 10, 17));
  let rowH = Math.floor(clamp(availH / rows, 13, 28));
  let h = apply(rowH, fontFor(rowH));
  while (h > availH && rowH > 13) { rowH--; h = apply(rowH, fontFor(rowH)); }
  while (rowH < 28 && h + rows <= availH) {
    const bigger = apply(rowH + 1, fontFor(rowH + 1));
    if (bigger > availH) { apply(rowH, fontFor(rowH)); break; }
    rowH++;
    h = bigger;
  }
}

function renderJoin(state) {
  const j = state.join;
  const cmds = j.commands.length ? j.commands : ["dockdojo join ADDRESS " + j.code];
  document.getElementById("join-commands").replaceChildren(...cmds.map(joinCommand));
  document.getElementById("banner-commands").replaceChildren(...cmds.map(joinCommand));
  document.getElementById("join-code").textContent = j.code;
  document.getElementById("banner-code").textContent = j.code;
}

// joinCommand is a join line with each word in a span the CSS keeps on one
// line: the line wraps between "dockdojo", "join", the address and the
// code, never inside the address or the code, which a learner copies
// character by character.
function joinCommand(c) {
  const words = c.split(" ").map(w => el("span", { class: "w", text: w }));
  return el("code", {}, ...words.flatMap((w, i) => i ? [" ", w] : [w]));
}

// fitJoin makes the join lines in the element of id as large as the CSS
// says, or smaller when their widest word (the address) is wider than the
// line: the side column at its narrowest, the banner on a phone.
function fitJoin(id) {
  for (const code of document.getElementById(id).querySelectorAll("code")) {
    code.style.fontSize = "";
    const line = code.clientWidth;
    const widest = Math.max(0, ...[...code.querySelectorAll(".w")].map(w => w.getBoundingClientRect().width));
    if (line > 0 && widest > line) {
      const size = parseFloat(getComputedStyle(code).fontSize);
      code.style.fontSize = Math.floor(size * line / widest * 10) / 10 + "px";
    }
  }
}

function renderSummary(state) {
  const n = state.learners.length;
  const active = state.learners.filter(l => !l.idle).length;
  const parts = [learners(n), active + " active", state.stuck.length + " stuck"];
  if (state.not_ready) parts.push(state.not_ready + " not ready");
  document.getElementById("summary").textContent = parts.join(" · ");
  document.title = (state.stuck.length ? "(" + state.stuck.length + " stuck) " : "") + "dockdojo classroom";
}

function renderStuck(state) {
  document.getElementById("stuck-rule").textContent =
    "Current exercise not passed, and " + state.stuck_fails + " failed attempts or " +
    state.stuck_after_minutes + " min since starting it. NEW: in the last " + state.newly_stuck_minutes + " min.";
  document.getElementById("stuck-count").textContent = state.stuck.length || "";
  fillList("stuck", state.stuck, "Nobody right now.", s => {
    const li = el("li", { "data-learner": s.learner, "data-exercise": s.exercise, class: s.new ? "new" : "" },
      s.new ? el("span", { class: "tag new", text: "NEW" }) : null, s.new ? " " : null,
      learnerLink(s.learner_id, s.learner), " on ",
      el("code", { text: s.label + " " + exerciseName(s.exercise) }), ": ",
      el("span", { class: "why", text: s.why }));
    if (s.check) li.append(el("span", { class: "msg", text: "failing: " + s.check }));
    return li;
  });
}

// fillList makes the list with this id show one item(x) for each of xs, or
// a single item saying none when xs is empty.
function fillList(id, xs, none, item) {
  document.getElementById(id).replaceChildren(
    ...(xs.length ? xs.map(item) : [el("li", { class: "none", text: none })]));
}

function renderReady(state) {
  const ul = document.getElementById("not-ready");
  ul.replaceChildren();
  // One who left is no laptop to fix.
  const notReady = state.learners.filter(l => !l.left && l.readiness && !l.readiness.ready);
  const unknown = state.learners.filter(l => !l.left && !l.readiness);
  document.getElementById("ready-count").textContent = notReady.length || "";
  // Laptops with the same problems are one line: in a room where Docker
  // is missing on many, the list names the problem once, then who.
  const byWhy = new Map();
  for (const l of notReady) {
    const why = l.readiness.problems.join("; ");
    if (!byWhy.has(why)) byWhy.set(why, []);
    byWhy.get(why).push(l);
  }
  for (const [why, ls] of byWhy) {
    const who = ls.flatMap((l, i) => [i ? ", " : "", learnerLink(l.id, l.name)]);
    ul.append(ls.length === 1 ?
      el("li", { "data-learner": ls[0].name }, ...who, ": ", el("span", { class: "why", text: why })) :
      el("li", { class: "group" }, el("span", { class: "why", text: why }), " (" + ls.length + "): ", ...who));
  }
  if (unknown.length) {
    ul.append(el("li", { class: "unreported" }, "No doctor report from " + unknown.length + ": ",
      ...unknown.flatMap((l, i) => [i ? ", " : "", learnerLink(l.id, l.name)])));
  }
  if (!ul.children.length) {
    ul.append(el("li", { class: "none", text: state.learners.length ? "Every laptop is ready." : "Nobody yet." }));
  }
}

function renderTripping(state) {
  fillList("tripping", state.tripping, "None.", t => {
    const li = el("li", { "data-exercise": t.exercise, "data-check": t.check },
      el("span", { class: "who", text: learners(t.learners) }),
      " on ", el("code", { text: t.label + " " + exerciseName(t.exercise) }), ": ",
      el("span", { class: "check", text: t.check }));
    if (t.message) li.append(el("span", { class: "msg", text: t.message }));
    return li;
  });
}

function renderCourse(state) {
  const ol = document.getElementById("course-key");
  ol.replaceChildren();
  for (const l of state.lessons) {
    ol.append(el("li", { class: "lesson-name", text: l.number + " " + l.title }));
    for (const x of l.exercises) {
      ol.append(el("li", { class: "ex", "data-exercise": x.key },
        el("span", { class: "label", text: x.label }),
        el("span", { class: "name", text: x.id }),
        el("span", { class: "nums" }, "✓" + x.passed + " · " + x.working + " · ",
          el("span", { class: x.stuck ? "stuck-n" : "", text: "⚠" + x.stuck }))));
    }
    if (l.quizzes.length) {
      ol.append(el("li", { class: "ex quizzes", "data-lesson": l.id },
        el("span", { class: "label", text: l.number + ".Q" }),
        el("span", { class: "name", text: quizzes(l.quizzes.length) }),
        el("span", { class: "nums", text: "✓" + l.quizzes_all_right + " · " + l.quizzes_answering })));
    }
  }
}

// cellLook is how a learner's cell on an exercise looks: its classes, its
// state, the sign before a count ("⚠", "✗"), its text and the text's
// weight (app.css), which widths measures.
function cellLook(c) {
  if (!c) return { cls: "c", sign: "", text: "", weight: 400 };
  let cls = "c s-" + c.state, sign = "", text, weight = 400;
  if (c.state === "passed") {
    text = c.solution ? "S" : "✓";
    if (c.solution) { cls += " sol"; weight = 700; }
  } else if (c.stuck) {
    cls = "c s-stuck";
    sign = "⚠";
    text = c.fails_since_start ? String(c.fails_since_start) : "";
    weight = 700;
  } else if (c.state === "failing") {
    sign = "✗";
    text = String(c.fails_since_start);
  } else {
    text = "…";
  }
  if (c.hints || (c.solution && c.state !== "passed")) cls += " hinted";
  return { cls, state: c.stuck ? "stuck" : c.state, sign, text, weight };
}

// quizLook is a learner's cell in a lesson's quizzes column: how many of
// them they have right, ✓ when all; on orange when their latest answer to
// one of them is wrong.
function quizLook(learner, lesson) {
  const t = quizTally(learner, lesson);
  if (!t.answered) return { cls: "c q", sign: "", text: "", weight: 400 };
  const state = t.right === t.of ? "passed" : t.wrong ? "failing" : "started";
  return { cls: "c q s-" + state, state, sign: "", text: t.right === t.of ? "✓" : String(t.right), weight: 400 };
}

// SIGN_SIZE is the size of a cell's sign beside its count (app.css .sign):
// smaller than the count, so that a count of one digit fits the narrowest
// cell at the smallest font.
const SIGN_SIZE = 0.8;

// look is a learner's cell in column c (columns).
function look(learner, c) {
  return c.exercise ? cellLook(learner.cells[c.exercise.key]) : quizLook(learner, c.lesson);
}

// paceOf is what the top rows count in column c: who passed, is working
// on it, looks stuck on it. A lesson's quizzes column counts who has them
// all right, and who answered some.
function paceOf(c) {
  const x = c.exercise;
  return x ? x : { passed: c.lesson.quizzes_all_right, working: c.lesson.quizzes_answering, stuck: 0 };
}

// PACE_WEIGHTS are the weights of the top rows' counts (app.css).
const PACE_WEIGHTS = { passed: 600, working: 600, stuck: 700 };

function paceText(n) { return n ? String(n) : "·"; }

// headText is column c's header: the exercise's number in its lesson, or Q.
function headText(c) {
  const x = c.exercise;
  return x ? x.label.slice(x.label.indexOf(".") + 1) : "Q";
}

function renderGrid(state) {
  const table = document.getElementById("grid");
  const cols = document.getElementById("cols");
  const all = columns(state);
  cols.replaceChildren(...INFO_COLUMNS.map(n => el("col", { class: "col-" + n })),
    ...all.map(() => el("col", { class: "col-c" })));

  const span = String(INFO_COLUMNS.length);
  const lessonRow = el("tr", {}, el("th", { class: "info", colspan: span, text: learners(state.learners.length) + " · exercises by lesson →" }));
  const exRow = el("tr", {}, ...["Learner", "Now on", "For", "Seen", "Ready"].map((t, i) => el("th", { class: "info h-" + INFO_COLUMNS[i], text: t })));
  const pace = { passed: el("tr"), working: el("tr"), stuck: el("tr") };
  for (const [k, row] of Object.entries(pace)) row.append(el("th", { class: "pace-label", colspan: span, text: k }));
  for (const l of state.lessons) {
    // A narrow header is cut short: hovering it gives the whole name.
    lessonRow.append(el("th", { class: "lesson", colspan: String(Math.max(l.exercises.length, 1)), "data-lesson": l.id,
      title: l.number + " " + l.title, text: l.number + " " + l.id }));
  }
  for (const c of all) {
    const x = c.exercise;
    const first = !x || c.lesson.exercises[0] === x ? " first" : "";
    const n = paceOf(c);
    exRow.append(x ? el("th", { class: "ex" + first, "data-exercise": x.key, title: x.label + " " + x.key, text: headText(c) })
      : el("th", { class: "qz" + first, "data-lesson": c.lesson.id, title: c.lesson.number + ".Q " + c.lesson.id + ": " + quizzes(c.lesson.quizzes.length), text: headText(c) }));
    for (const k of Object.keys(pace)) {
      const td = el("td", { class: "pace p-" + k + (n[k] ? " some" : "") + first, text: paceText(n[k]) });
      td.setAttribute(x ? "data-exercise" : "data-lesson", x ? x.key : c.lesson.id);
      pace[k].append(td);
    }
  }
  table.tHead.replaceChildren(lessonRow, exRow, pace.passed, pace.working, pace.stuck);

  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  if (state.learners.length === 0) {
    tbody.append(el("tr", {}, el("td", { class: "none", colspan: String(all.length + INFO_COLUMNS.length),
      text: "No learner has joined yet. They type the join command on the right." })));
    return;
  }
  for (const l of state.learners) {
    const cls = [l.idle ? "idle" : "", l.left ? "left" : "", l.stuck ? "stuck" : "", l.newly_stuck ? "newly-stuck" : ""].join(" ").trim();
    const name = el("td", { class: "info name" });
    if (l.newly_stuck) name.append(el("span", { class: "tag new", text: "NEW" }), " ");
    name.append(learnerLink(l.id, l.name));
    // The parts in .what go when the window is too narrow (layout).
    const on = el("td", { class: "info on" }, ...(l.current ?
      [el("span", { class: "label", text: l.current_label }), el("span", { class: "what", text: " " + exerciseName(l.current) })] : ["—"]));
    const seen = el("td", { class: "info seen" + (l.idle ? " idle" : "") },
      l.idle ? el("span", { class: "what", text: awayWord(l) + " " }) : null, l.last_seen ? short(l.last_seen, state.now) : "—");
    // One who left is no laptop to fix.
    const r = l.left ? null : l.readiness;
    const laptop = el("td", { class: "info laptop " + (l.left ? "left" : r ? (r.ready ? "ready" : "notready") : "unknown"),
      text: l.left ? "—" : r ? (r.ready ? "ok" : "NOT") : "?" });
    const tr = el("tr", { "data-learner": l.name, "data-id": String(l.id), class: cls }, name, on,
      el("td", { class: "info for", text: short(l.on_current_since, state.now) }), seen, laptop);
    for (const c of all) {
      const x = c.exercise;
      const lk = look(l, c);
      const here = x && x.key === l.current ? " here" : "";
      const td = el("td", { class: lk.cls + here }, lk.sign ? el("span", { class: "sign", text: lk.sign }) : null, lk.text);
      if (lk.state) td.setAttribute("data-state", lk.state);
      td.setAttribute(x ? "data-exercise" : "data-lesson", x ? x.key : c.lesson.id);
      if (!x || c.lesson.exercises[0] === x) td.classList.add("first");
      tr.append(td);
    }
    tbody.append(tr);
  }
}

// announce says who newly looks stuck: those who got stuck at the latest
// poll that saw anyone get stuck, as long as they still are, on the
// exercise they are stuck on now. Once none of them is, it says nothing.
function announce(state) {
  const now = new Set(state.stuck.map(s => s.learner_id));
  if (stuckBefore) {
    const fresh = state.stuck.filter(s => !stuckBefore.has(s.learner_id));
    if (fresh.length) announced = new Set(fresh.map(s => s.learner_id));
  }
  stuckBefore = now;
  const text = state.stuck.filter(s => announced.has(s.learner_id))
    .map(s => s.learner + " looks stuck on " + s.label + " " + exerciseName(s.exercise)).join("; ");
  const line = document.getElementById("announce");
  if (line.textContent !== text) line.textContent = text; // aria-live: only news
}

function render(state) {
  lastState = state;
  renderJoin(state);
  renderSummary(state);
  renderStuck(state);
  renderReady(state);
  renderTripping(state);
  renderCourse(state);
  renderGrid(state);
  layout(state);
  fitJoin("join-commands");
  fitJoin("banner-commands");
  announce(state);
  if (!bannerDecided) {
    bannerDecided = true;
    if (state.learners.length === 0 && !location.hash) showBanner(true);
  }
}

function showBanner(on) {
  document.getElementById("banner").hidden = !on;
  if (on) fitJoin("banner-commands");
}

// The learner's page.

const kindWords = { started: "started", check_failed: "check failed", passed: "passed", hint: "hint", solution: "saw the solution", readiness: "doctor", answered: "quiz", left: "left (may join again)",
  let_back: "let join again from another laptop", back: "joined again" };

function details(e) {
  switch (e.kind) {
    case "check_failed": {
      const d = el("span", {}, el("span", { class: "check", text: e.check }),
        " (" + (e.checks_ok || 0) + " of " + (e.checks_total || 0) + " checks pass)");
      if (e.message) d.append(el("span", { class: "msg", text: e.message }));
      return d;
    }
    case "passed": return "all " + (e.checks_total || 0) + " checks pass";
    case "hint": return e.hint ? "hint " + e.hint : "";
    case "answered": return "answer " + e.attempt;
    case "readiness": {
      const r = e.readiness || {};
      const parts = e.problems && e.problems.length ? ["not ready: " + e.problems.join("; ")] : ["ready"];
      if (r.engine_version) parts.push("engine " + r.engine_version);
      if (r.dockdojo_version) parts.push("dockdojo " + r.dockdojo_version);
      return parts.join(" · ");
    }
  }
  return "";
}

// awayWord is what the Seen column says of a learner not at work: they
// left the classroom (or may join again from another laptop), or nothing
// was heard from them for a while.
function awayWord(l) { return l.left ? "left" : "idle"; }

function renderLearner(d, now) {
  const l = d.learner;
  document.getElementById("learner-name").textContent = l.name;
  document.getElementById("remove-who").textContent = l.name;
  // One who left comes back from the laptop they left from; from another
  // once let back (anyone may type a name).
  document.getElementById("letback-ask").hidden = !!l.let_back;
  document.getElementById("letback-said").textContent = l.let_back ?
    l.name + " may join again from another laptop: their join line, with --name \"" + l.name + "\", brings them back to this row." :
    l.left ? l.name + " left: their join line, typed on the laptop they left from, brings them back to this row; from another laptop, once you let them." : "";
  const facts = document.getElementById("learner-facts");
  facts.replaceChildren();
  const fact = (k, ...v) => facts.append(el("dt", { text: k }), el("dd", {}, ...v));
  fact("Joined", new Date(l.joined).toLocaleString() + " (" + ago(l.joined, now) + ")" +
    (l.back_at ? "; back at " + new Date(l.back_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : ""));
  fact("Last seen", l.last_seen ? ago(l.last_seen, now) + (l.idle ? " — " + awayWord(l) : "") : "nothing sent yet");
  fact("Now on", l.current ? l.current_label + " " + l.current + ", for " + short(l.on_current_since, now) : "no exercise yet");
  if (l.stuck) fact("Looks stuck", el("span", { class: "why", text: l.stuck }), " (since " + ago(l.stuck_since, now) + ")");
  // Counted as the learner's own `dockdojo progress` counts: an exercise
  // once passed, a quiz while its latest answer is right.
  let done = l.done + " of " + (lastState ? lastState.exercises.length : "?") + " exercises (passed)";
  if (!lastState || lastState.quizzes.length) {
    done += " and " + l.quizzes_right + " of " + (lastState ? lastState.quizzes.length : "?") + " quizzes (answered right)";
  }
  fact("Done", done);
  // Their answers, lesson by lesson: right or wrong (the latest answer),
  // after how many tries.
  const answered = [];
  for (const lesson of lastState ? lastState.lessons : []) {
    for (const q of lesson.quizzes) {
      const a = l.quizzes[q.key];
      if (!a) continue;
      answered.push(el("li", { "data-quiz": q.key, class: a.right ? "right" : "wrong" },
        el("span", { class: "label", text: q.label }), " " + q.key + ": ",
        el("b", { text: a.right ? "right" : "wrong" }), " after " + a.tries + (a.tries === 1 ? " try" : " tries")));
    }
  }
  if (answered.length) fact("Quizzes", el("ul", { class: "answers" }, ...answered));
  if (l.readiness) {
    const r = l.readiness;
    fact("Laptop", r.ready ? "ready" : el("span", { class: "why", text: "not ready: " + r.problems.join("; ") }),
      " (doctor " + ago(r.reported, now) + (r.engine_version ? "; engine " + r.engine_version : "") +
      (r.dockdojo_version ? "; dockdojo " + r.dockdojo_version : "") + ")");
  } else {
    fact("Laptop", "no doctor report");
  }
  const tbody = document.querySelector("#timeline tbody");
  tbody.replaceChildren();
  if (d.timeline.length === 0) {
    tbody.append(el("tr", {}, el("td", { colspan: "4", class: "none", text: "Nothing yet." })));
  }
  for (const e of d.timeline) {
    let what = kindWords[e.kind] || e.kind;
    if (e.kind === "readiness") what += (e.problems && e.problems.length ? ": not ready" : ": ready");
    if (e.kind === "answered") what += e.correct ? ": right" : ": wrong";
    tbody.append(el("tr", { class: "k-" + e.kind },
      el("td", { class: "when", text: new Date(e.at).toLocaleTimeString() + " (" + ago(e.at, now) + ")" }),
      el("td", { class: "what", text: what }),
      el("td", { class: "exercise", text: e.exercise ? (e.label ? e.label + " " : "") + e.exercise : "" }),
      el("td", { class: "details" }, details(e))));
  }
}

async function loadLearner(id) {
  clearTimeout(detailTimer);
  try {
    const r = await fetch("learners/" + id, { cache: "no-store" });
    if (r.status === 404) {
      document.getElementById("learner-name").textContent = "This learner is not in the classroom (any more).";
      document.getElementById("learner-facts").replaceChildren();
      document.querySelector("#timeline tbody").replaceChildren();
      return;
    }
    if (!r.ok) throw new Error("the server answered " + r.status);
    renderLearner(await r.json(), lastState ? lastState.now : new Date().toISOString());
  } catch (e) {
    document.getElementById("remove-result").textContent = "cannot load this learner (" + e.message + ")";
  }
  if (currentLearner() === id) detailTimer = setTimeout(() => loadLearner(id), POLL_MS);
}

function currentLearner() {
  const m = location.hash.match(/^#learner\/(\d+)$/);
  return m ? Number(m[1]) : null;
}

function route() {
  const id = currentLearner();
  document.getElementById("learner-page").hidden = id === null;
  document.getElementById("remove-confirm").hidden = true;
  document.getElementById("remove-ask").hidden = false;
  document.getElementById("remove-result").textContent = "";
  if (id !== null) {
    showBanner(false);
    document.getElementById("notice").textContent = "";
    // A learner's page opened by its address needs the room's state for
    // its counts ("3 of 35 exercises"): it is fetched first.
    if (lastState) loadLearner(id);
    else refresh().then(() => loadLearner(id));
  }
}

async function removeLearner() {
  const id = currentLearner();
  const result = document.getElementById("remove-result");
  document.getElementById("remove-confirm").hidden = true;
  try {
    const r = await fetch("learners/" + id + "/remove", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || "the server answered " + r.status);
    clearTimeout(detailTimer);
    // Back to the grid, at the grid's own address: the learner's now names
    // no one, and the browser's Back button should not return to it.
    history.replaceState(null, "", location.pathname + location.search);
    route();
    document.getElementById("notice").textContent = "Removed " + body.removed + ".";
    refresh();
  } catch (e) {
    result.textContent = "Not removed: " + e.message;
    document.getElementById("remove-ask").hidden = false;
  }
}

// letBack lets the learner join again under their name from another
// laptop (theirs broke): their row stays, and the laptop they had sends no
// more once they do.
async function letBack() {
  const id = currentLearner();
  const result = document.getElementById("remove-result");
  try {
    const r = await fetch("learners/" + id + "/let-back", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || "the server answered " + r.status);
    loadLearner(id);
    refresh();
  } catch (e) {
    result.textContent = "Not done: " + e.message;
  }
}

// refresh fetches the room's state and shows it.
async function refresh() {
  const status = document.getElementById("status");
  try {
    const r = await fetch("state.json", { cache: "no-store" });
    if (!r.ok) throw new Error("the server answered " + r.status);
    render(await r.json());
    status.textContent = "updated " + new Date().toLocaleTimeString() + "; every " + POLL_MS / 1000 + " s";
    status.className = "ok";
  } catch (e) {
    status.textContent = "cannot reach the classroom server (" + e.message + "); retrying";
    status.className = "offline";
  }
}

async function poll() {
  await refresh();
  setTimeout(poll, POLL_MS);
}

document.getElementById("banner-open").addEventListener("click", () => showBanner(true));
document.getElementById("banner-close").addEventListener("click", () => showBanner(false));
document.addEventListener("keydown", e => { if (e.key === "Escape") showBanner(false); });
document.getElementById("remove-ask").addEventListener("click", () => {
  document.getElementById("remove-ask").hidden = true;
  document.getElementById("remove-confirm").hidden = false;
});
document.getElementById("remove-no").addEventListener("click", () => {
  document.getElementById("remove-confirm").hidden = true;
  document.getElementById("remove-ask").hidden = false;
});
document.getElementById("remove-yes").addEventListener("click", removeLearner);
document.getElementById("letback-ask").addEventListener("click", letBack);
window.addEventListener("hashchange", route);
window.addEventListener("resize", () => {
  if (lastState) layout(lastState);
  fitJoin("join-commands");
  fitJoin("banner-commands");
});
route();
poll();
