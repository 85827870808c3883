// The review page: many returns (several files or one .zip) with the optional registry, treasury
// figures and past years' returns; the table of returns, the findings across returns, every
// return's findings; the summary workbook and the annotated copies to download. The files stay in
// the browser: a download sends them again, since the service keeps nothing.
"use strict";

const review = { across: new Set(), report: null };

function formData(output) {
  const body = new FormData();
  for (const file of document.getElementById("returns").files) body.append("files", file);
  for (const key of ["registry", "treasury"]) {
    const input = document.getElementById(key);
    if (input.files.length) body.append(key, input.files[0]);
  }
  // one .zip a past year; each return in them says its own year
  for (const file of document.getElementById("previous").files) body.append("previous", file);
  body.append("output", output);
  body.append("unit", document.getElementById("unit").value);
  return body;
}

function send(output) {
  // XMLHttpRequest rather than fetch: it reports the upload's progress
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/batch?lang=" + page.lang);
    request.responseType = "blob";
    const progress = document.getElementById("progress");
    const bar = document.getElementById("bar");
    const text = document.getElementById("progress-text");
    progress.hidden = false;
    bar.value = 0;
    request.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      const done = Math.round((100 * event.loaded) / event.total);
      bar.value = done;
      text.textContent = t("uploading", { done: done });
    };
    request.upload.onload = () => {
      bar.removeAttribute("value");  // indeterminate while the returns are checked
      text.textContent = counted("reviewing", document.getElementById("returns").files.length);
    };
    request.onloadend = () => { progress.hidden = true; resolve(request); };
    request.send(formData(output));
  });
}

async function run() {
  const status = document.getElementById("status");
  status.textContent = "";
  const answer = await send("json");
  if (answer.status !== 200) {
    status.textContent = t("failed", { message: await failureOf(answer) });
    status.className = "problem";
    return;
  }
  review.report = JSON.parse(await answer.response.text());
  show();
}

async function failureOf(request) {
  try {
    return JSON.parse(await request.response.text()).error.message;
  } catch (ignored) {
    return request.status + " " + request.statusText;
  }
}

function table(id, head, rows) {
  const node = document.getElementById(id);
  node.replaceChildren();
  const top = element("tr");
  for (const key of head) top.appendChild(element("th", "", t(key)));
  node.appendChild(top);
  for (const row of rows) {
    const line = element("tr");
    for (const value of row.values) line.appendChild(element("td", "", value));
    if (row.className) line.className = row.className;
    node.appendChild(line);
  }
}

function show() {
  const report = review.report;
  const s = report.summary;
  document.getElementById("summary").replaceChildren(
    element("strong", "", counted("returns_count", report.files.length) + " · "),
    element("span", "", t("counts", { errors: s.errors, warnings: s.warnings, explained: s.explained })),
  );
  table("returns-table",
    ["head_unit", "head_file", "head_errors", "head_warnings", "head_explained", "head_status", "head_where"],
    report.files.map((f) => ({
      values: [f.unit, f.file, f.errors, f.warnings, f.explained, t("status_" + f.status),
        f.localisation ? f.localisation.message : ""],
      className: "status-" + f.status,
    })));
  const across = report.findings.filter((f) => review.across.has(f.rule));
  const own = report.findings.filter((f) => !review.across.has(f.rule));
  const line = (f) => ({
    values: [t(f.severity), f.rule, f.unit, f.file || f.related_files.join(" "), f.cells.join(" "),
      sentence(f.message, f.hint)],
    className: f.explanation ? "explained" : f.severity,
  });
  const head = ["head_severity", "head_rule", "head_unit", "head_file", "head_cells", "head_message"];
  table("across-table", head, across.map(line));
  table("details-table", head, own.map(line));
  document.getElementById("result").hidden = false;
}

async function download(output, fallback) {
  const answer = await send(output);
  if (answer.status !== 200) {
    document.getElementById("status").textContent = t("failed", { message: await failureOf(answer) });
    return;
  }
  const header = answer.getResponseHeader("content-disposition") || "";
  const match = header.match(/filename\*=UTF-8''([^;]+)/);
  saveBlob(answer.response, match ? decodeURIComponent(match[1]) : fallback);
}

async function loadRules() {
  const response = await fetch("/api/rules?lang=" + page.lang);
  if (response.ok) review.across = new Set((await response.json()).filter((r) => r.across).map((r) => r.id));
}

document.addEventListener("DOMContentLoaded", () => {
  loadRules();
  document.getElementById("upload").addEventListener("submit", (event) => {
    event.preventDefault();
    const returns = document.getElementById("returns");
    if (returns.files.length) return run();
    const status = document.getElementById("status");
    status.textContent = t("pick_first");
    status.className = "problem";
    returns.focus();
  });
  document.getElementById("download-summary").addEventListener("click", () => download("summary", "summary.xlsx"));
  document.getElementById("download-copies").addEventListener("click", () => download("annotated", "annotated.zip"));
  document.getElementById("download-sendback").addEventListener("click", () => download("sendback", "send-back.zip"));
  document.getElementById("download-consolidated").addEventListener("click", () => download("consolidated", "consolidated.xlsx"));
  page.onLanguage = () => { if (review.report) run(); };
});
