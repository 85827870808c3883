// The self-check page: one return uploaded, its findings grouped by form (errors first), each form
// drawn as a grid like the sheet with the cells to change highlighted; a field for each warning's
// explanation; the annotated copy (explanations written in) and the JSON report to download.
// The explanations typed live in `state.typed` (rule and cell -> text), not in the fields: the
// fields are drawn again on a language switch, the words typed stay.
"use strict";

const state = { file: null, report: null, sheets: [], active: null, typed: new Map(), saved: true };
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };
const ADDRESS = /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)$/;

function place(address) {
  const match = ADDRESS.exec(address || "");
  if (!match) return null;
  const sheet = match[1] !== undefined ? match[1].replace(/''/g, "'") : match[2];
  return { sheet: sheet, cell: match[3] + match[4] };
}

function letters(column) {
  let text = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
  return text;
}

async function check(file) {
  if (state.file !== file) { state.typed.clear(); state.saved = true; }
  state.file = file;
  const status = document.getElementById("status");
  status.textContent = t("checking", { name: file.name });
  status.className = "";
  const body = new FormData();
  body.append("file", file);
  const response = await fetch("/api/inspect?lang=" + page.lang, { method: "POST", body: body });
  if (!response.ok) {
    status.textContent = t("failed", { message: await failure(response) });
    status.className = "problem";
    return;
  }
  const answer = await response.json();
  state.report = answer.report;
  state.sheets = answer.sheets;
  status.textContent = "";
  show();
}

function show() {
  const report = state.report;
  const file = report.files[0] || {};
  const summary = document.getElementById("summary");
  summary.replaceChildren(
    element("strong", "status-" + file.status, t("status_" + file.status)),
    element("span", "", " " + (file.unit || "") + " " + (file.year || "") + " · "),
    element("span", "", t("counts", { errors: file.errors || 0, warnings: file.warnings || 0, explained: file.explained || 0 })),
  );
  showFindings(report.findings);
  showWhere(file.localisation);
  showSheets();
  const readable = file.status !== "unreadable";
  document.getElementById("download-annotated").hidden = !readable;
  if (!readable) document.getElementById("status").textContent = t("no_copy");
  document.getElementById("explain-note").hidden = !document.querySelector("textarea[data-rule]");
  document.getElementById("result").hidden = false;
}

function showFindings(findings) {
  const list = document.getElementById("findings");
  list.replaceChildren();
  if (!findings.length) list.appendChild(element("p", "none", t("none")));
  const groups = new Map();
  for (const finding of findings) {
    const key = finding.form_short ? finding.form_short + " " + finding.form_title : t("whole");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(finding);
  }
  for (const [title, members] of groups) {
    const group = element("section", "group");
    group.appendChild(element("h2", "", title));
    members.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    for (const finding of members) group.appendChild(findingItem(finding));
    list.appendChild(group);
  }
}

function showWhere(found) {
  // 最少改动 and 可能是笔误 (docs/json.md: localisation), first in the list: the cells to change
  if (!found) return;
  const where = element("section", "group where");
  where.appendChild(element("h2", "", t("where")));
  for (const line of found.message.split("\n")) where.appendChild(element("p", "", line));
  const cells = element("p", "head");
  for (const change of found.sets[0]) {
    const go = element("button", "cell", t("fix") + " " + change.cell);
    go.type = "button";
    go.addEventListener("click", () => focusCell(change.cell));
    cells.appendChild(go);
  }
  where.appendChild(cells);
  const list = document.getElementById("findings");
  list.insertBefore(where, list.firstChild);
}

function findingItem(finding) {
  const kind = finding.explanation ? "explained" : finding.severity;
  const item = element("article", "finding " + kind);
  item.dataset.rule = finding.rule;
  item.dataset.cell = finding.cells[0] || "";
  const head = element("div", "head");
  head.append(element("span", "badge " + kind, t(finding.severity)), element("b", "", finding.rule),
    element("span", "origin", finding.origin));
  if (finding.cells.length) {
    const go = element("button", "cell", t("fix") + " " + finding.cells[0]);
    go.type = "button";
    head.appendChild(go);
  }
  item.appendChild(head);
  item.appendChild(element("p", "message", sentence(finding.message, finding.hint)));
  if (finding.cells.length > 1) item.appendChild(element("p", "related", t("related") + " " + finding.cells.slice(1).join(" ")));
  if (finding.explanation) {
    item.appendChild(element("p", "explanation", t("explained") + " " + finding.explanation));
  } else if (finding.severity === "warning" && finding.cells.length) {
    const label = element("label", "explain", t("explain"));
    const field = element("textarea");
    const key = finding.rule + "|" + finding.cells[0];
    field.dataset.rule = finding.rule;
    field.dataset.cell = finding.cells[0];
    field.rows = 2;
    field.value = state.typed.get(key) || "";
    field.addEventListener("input", () => { state.typed.set(key, field.value); state.saved = false; });
    label.appendChild(field);
    item.appendChild(label);
  }
  item.addEventListener("click", (event) => {
    if (event.target.tagName !== "TEXTAREA") focusCell(finding.cells[0]);
  });
  return item;
}

function showSheets() {
  const tabs = document.getElementById("tabs");
  tabs.replaceChildren();
  for (const sheet of state.sheets) {
    const tab = element("button", "tab", sheet.name + (sheet.hidden ? " " + t("hidden") : ""));
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.dataset.sheet = sheet.name;
    tab.addEventListener("click", () => drawSheet(sheet.name));
    tabs.appendChild(tab);
  }
  const first = state.report.findings.map((f) => place(f.cells[0])).find((p) => p);
  drawSheet(first ? first.sheet : (state.sheets[0] || {}).name);
}

function marks() {
  const marked = new Map();
  for (const finding of state.report.findings) {
    finding.cells.forEach((address, index) => {
      const spot = place(address);
      if (!spot) return;
      const key = spot.sheet + "!" + spot.cell;
      const kind = index === 0 ? "fix-" + (finding.explanation ? "explained" : finding.severity) : "related";
      if (!marked.has(key) || index === 0) marked.set(key, kind);
    });
  }
  return marked;
}

function drawSheet(name) {
  const sheet = state.sheets.find((s) => s.name === name);
  const grid = document.getElementById("grid");
  grid.replaceChildren();
  if (!sheet) return;
  state.active = name;
  for (const tab of document.querySelectorAll(".tab")) {
    tab.classList.toggle("active", tab.dataset.sheet === name);
    tab.setAttribute("aria-selected", String(tab.dataset.sheet === name));
  }
  const width = Math.max(1, ...sheet.rows.map((row) => row.length));
  const spans = new Map();
  const covered = new Set();
  for (const [r1, c1, r2, c2] of sheet.merges) {
    spans.set(r1 + ":" + c1, [r2 - r1 + 1, Math.min(c2, width) - c1 + 1]);
    for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) if (r !== r1 || c !== c1) covered.add(r + ":" + c);
  }
  const marked = marks();
  const table = element("table", "sheet");
  const head = element("tr");
  head.appendChild(element("th", "corner"));
  for (let c = 1; c <= width; c++) head.appendChild(element("th", "", letters(c)));
  table.appendChild(head);
  sheet.rows.forEach((values, index) => {
    const r = index + 1;
    const row = element("tr");
    row.appendChild(element("th", "", r));
    for (let c = 1; c <= width; c++) {
      if (covered.has(r + ":" + c)) continue;
      const cell = element("td", "", values[c - 1] || "");
      const address = name + "!" + letters(c) + r;
      cell.dataset.cell = address;
      const span = spans.get(r + ":" + c);
      if (span) { cell.rowSpan = span[0]; cell.colSpan = span[1]; }
      if (marked.has(address)) cell.classList.add(marked.get(address));
      row.appendChild(cell);
    }
    table.appendChild(row);
  });
  if (sheet.cut) grid.appendChild(element("p", "cut", t("cut")));  // before the grid: seen first
  grid.appendChild(table);
}

function focusCell(address) {
  const spot = place(address);
  if (!spot) return;
  if (state.active !== spot.sheet) drawSheet(spot.sheet);
  for (const old of document.querySelectorAll("td.focus")) old.classList.remove("focus");
  const cell = document.querySelector('td[data-cell="' + CSS.escape(spot.sheet + "!" + spot.cell) + '"]');
  if (!cell) return;
  cell.classList.add("focus");
  cell.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
}

async function downloadAnnotated() {
  const explanations = [...document.querySelectorAll("textarea[data-rule]")]
    .filter((field) => field.value.trim())
    .map((field) => ({ rule: field.dataset.rule, cell: field.dataset.cell, text: field.value.trim() }));
  const body = new FormData();
  body.append("file", state.file);
  body.append("explanations", JSON.stringify(explanations));
  const response = await fetch("/api/annotate?lang=" + page.lang, { method: "POST", body: body });
  const status = document.getElementById("status");
  if (!response.ok) {
    status.textContent = t("failed", { message: await failure(response) });
    return;
  }
  saveBlob(await response.blob(), nameFrom(response, "annotated.xlsx"));
  state.saved = true;
}

function downloadJson() {
  const text = JSON.stringify(state.report, null, 2);
  const stem = state.file.name.replace(/\.[^.]*$/, "");
  saveBlob(new Blob([text], { type: "application/json" }), stem + "_report.json");
}

document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("file");
  input.addEventListener("change", () => { if (input.files.length) check(input.files[0]); });
  const drop = document.getElementById("drop");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (event.dataTransfer.files.length) check(event.dataTransfer.files[0]);
  });
  document.getElementById("download-annotated").addEventListener("click", downloadAnnotated);
  document.getElementById("download-json").addEventListener("click", downloadJson);
  page.onLanguage = () => { if (state.file) check(state.file); };
  const template = document.getElementById("template");
  template.addEventListener("click", () => {
    const unit = document.getElementById("template-unit").value.trim();
    template.href = "/api/template?lang=" + page.lang + (unit ? "&unit=" + encodeURIComponent(unit) : "");
  });
  window.addEventListener("beforeunload", (event) => {
    if (state.saved || ![...state.typed.values()].some((text) => text.trim())) return;
    event.preventDefault();
    event.returnValue = t("unsaved");
  });
});
