// The instructor's dashboard: polls state.json and redraws. Every text that
// came from a learner is set with textContent, never as HTML.
"use strict";

const POLL_MS = 3000;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function ago(iso, now) {
  if (!iso) return "";
  const s = Math.max(0, (Date.parse(now) - Date.parse(iso)) / 1000);
  if (s < 60) return Math.round(s) + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  return Math.round(s / 3600) + " h ago";
}

function shortName(key) {
  return key.slice(key.indexOf("/") + 1);
}

function renderStuck(state) {
  const ul = document.getElementById("stuck");
  document.getElementById("stuck-rule").textContent =
    "Not passed, and " + state.stuck_fails + " failed checks or " +
    state.stuck_after_minutes + " minutes since starting their current exercise.";
  ul.replaceChildren();
  if (state.stuck.length === 0) {
    ul.append(el("li", { class: "none", text: "Nobody right now." }));
    return;
  }
  for (const s of state.stuck) {
    const li = el("li", { "data-learner": s.learner, "data-exercise": s.exercise },
      el("span", { class: "who", text: s.learner }), " on ",
      el("code", { text: s.exercise }), ": ",
      el("span", { class: "why", text: s.why }));
    if (s.check) li.append(el("span", { class: "msg", text: "failing: " + s.check }));
    ul.append(li);
  }
}

function renderTripping(state) {
  const ol = document.getElementById("tripping");
  ol.replaceChildren();
  if (state.tripping.length === 0) {
    ol.append(el("li", { class: "none", text: "No failed check yet." }));
    return;
  }
  for (const t of state.tripping) {
    const li = el("li", { "data-exercise": t.exercise, "data-check": t.check },
      el("span", { class: "who", text: t.learners + (t.learners === 1 ? " learner" : " learners") }),
      " (" + t.failures + (t.failures === 1 ? " failure" : " failures") + ") on ", el("code", { text: t.exercise }), ": ",
      el("span", { class: "check", text: t.check }));
    if (t.message) li.append(el("span", { class: "msg", text: t.message }));
    ol.append(li);
  }
}

function cellFor(c, now) {
  if (!c) return el("td", { class: "cell empty" });
  let text = { passed: "✓", failing: "✗ " + c.fails, started: "…" }[c.state];
  if (c.stuck) text = "⚠ " + (c.fails || "");
  const td = el("td", { class: "cell " + c.state + (c.stuck ? " stuck" : ""), "data-state": c.state },
    text.trim());
  if (c.hints) td.append(el("span", { class: "hints", text: "h" + c.hints }));
  if (c.solution) td.append(el("span", { class: "solution", text: "sol" }));
  const lines = [];
  if (c.stuck) lines.push("Looks stuck: " + c.stuck);
  if (c.started) lines.push("Started " + ago(c.started, now));
  if (c.passed) lines.push("Passed " + ago(c.passed, now));
  if (c.checks) lines.push(c.checks + " checks, " + c.fails + " failed");
  if (c.check && c.state !== "passed") {
    lines.push("Failing: " + c.check + " (" + c.checks_ok + "/" + c.checks_total + " pass)");
    if (c.message) lines.push(c.message);
  }
  if (c.hints) lines.push(c.hints + " hints");
  if (c.solution) lines.push("Saw the solution");
  td.title = lines.join("\n");
  return td;
}

function renderGrid(state) {
  const table = document.getElementById("grid");
  const thead = table.tHead, tbody = table.tBodies[0];
  // Lesson headers span their exercises.
  const lessons = [];
  for (const key of state.exercises) {
    const lesson = key.slice(0, key.indexOf("/"));
    if (lessons.length && lessons[lessons.length - 1].id === lesson) lessons[lessons.length - 1].n++;
    else lessons.push({ id: lesson, n: 1 });
  }
  const top = el("tr", {}, el("th", { class: "learner", rowspan: "2", text: "learner" }));
  for (const l of lessons) top.append(el("th", { class: "lesson", colspan: String(l.n), text: l.id }));
  const second = el("tr");
  for (const key of state.exercises) second.append(el("th", { title: key, "data-exercise": key, text: shortName(key) }));
  thead.replaceChildren(top, second);

  tbody.replaceChildren();
  if (state.learners.length === 0) {
    tbody.append(el("tr", {}, el("td", { class: "none", colspan: String(state.exercises.length + 1),
      text: "No learner has joined yet. They type the join command shown in your terminal." })));
    return;
  }
  for (const l of state.learners) {
    const tr = el("tr", { "data-learner": l.name },
      el("td", { class: "learner" }, l.name,
        el("span", { class: "seen", text: l.last_seen ? ago(l.last_seen, state.now) : "joined, nothing yet" })));
    for (const key of state.exercises) {
      const td = cellFor(l.cells[key], state.now);
      td.setAttribute("data-exercise", key);
      tr.append(td);
    }
    tbody.append(tr);
  }
}

function render(state) {
  const active = state.learners.filter(l => l.last_seen && Date.parse(state.now) - Date.parse(l.last_seen) < 5 * 60 * 1000).length;
  document.getElementById("summary").textContent =
    state.learners.length + " learners, " + active + " active in the last 5 min, " + state.stuck.length + " stuck";
  renderStuck(state);
  renderTripping(state);
  renderGrid(state);
}

async function poll() {
  const status = document.getElementById("status");
  try {
    const r = await fetch("state.json", { cache: "no-store" });
    if (!r.ok) throw new Error("the server answered " + r.status);
    const state = await r.json();
    render(state);
    status.textContent = "updated " + new Date().toLocaleTimeString();
    status.className = "ok";
  } catch (e) {
    status.textContent = "cannot reach the classroom server (" + e.message + "); retrying";
    status.className = "offline";
  }
  setTimeout(poll, POLL_MS);
}

poll();
