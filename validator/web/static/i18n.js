// The pages' words in Chinese and English, and what both pages share: the language switch,
// downloads, error answers. No framework: the pages are small and must work on an intranet.
"use strict";

const WORDS = {
  zh: {
    check_title: "行政执法统计年报 · 报表自查",
    review_title: "行政执法统计年报 · 报表审核",
    nav_check: "自查一份报表",
    nav_review: "审核多份报表",
    switch: "English",
    drop: "把报表 (.xlsx、.xls、.et、.ods) 拖到这里,或",
    choose: "选择文件",
    not_kept: "报表只用于本次检查:检查完即从服务器删除,不保存、不上报。",
    template: "下载空白报表模板 (.xlsx)",
    template_unit: "模板中的填报单位(可选):",
    not_kept_many: "上传的报表和参考数据只用于本次审核:审核完即从服务器删除,不保存。",
    explain_note: "“说明”只保存在本页(切换语言不会丢失)。点“下载标注副本”后,说明写入副本的“审核说明”表;报送这份副本(或再次上传自查)时,对应警告才算已说明。关闭或刷新本页,未下载的说明即丢失。",
    unsaved: "有已填写但尚未下载的说明,离开本页将丢失。",
    no_copy: "此文件未能读取(下方的问题说明了原因),所以没有标注副本。",
    pick_first: "请先选择要审核的报表文件(可多选,或一个 .zip)。",
    lang_hint: "Switch the page to English",
    sheet_grid: "报表内容(标出须改与相关的单元格)",
    checking: "正在检查 {name} …",
    uploading: "正在上传 {done}%",
    reviewing: "正在检查 {count} 份报表 …",
    download_annotated: "下载标注副本 (.xlsx;.xls、.et、.ods 的副本按 .xlsx 重新生成,只含数值)",
    download_json: "下载 JSON 报告",
    counts: "错误 {errors} 项,警告 {warnings} 项,已说明 {explained} 项",
    returns_count: "{count} 份报表",
    status_ok: "通过", status_warning: "有警告", status_error: "有错误",
    status_explained: "通过(已说明)", status_unreadable: "无法读取",
    whole: "整份报表",
    fix: "改",
    related: "相关",
    where: "改哪里",
    explain: "属实的,请说明原因(写入标注副本的“审核说明”表):",
    explained: "已说明:",
    error: "错误", warning: "警告", info: "提示",
    none: "未发现问题。",
    hidden: "(隐藏)",
    cut: "此表只显示前 150 行、40 列,过长的单元格只显示开头(以 … 结尾);完整内容请在 Excel 或 WPS 中查看。",
    returns: "报表文件 (.xlsx、.xls、.et、.ods,可多选,或一个 .zip)",
    registry: "单位名录 units.yaml(可选)",
    treasury: "财政入库数 .csv / .xlsx(可选)",
    previous: "往年报表 .zip,一年一个(可选,可多选)",
    start: "开始审核",
    head_unit: "填报单位", head_file: "文件", head_errors: "错误", head_warnings: "警告",
    head_explained: "已说明", head_status: "状态", head_where: "改哪里",
    across: "跨报表与参考数据的问题",
    details: "各报表的问题",
    head_rule: "规则", head_severity: "级别", head_message: "问题", head_cells: "单元格",
    download_summary: "下载汇总工作簿 (.xlsx)",
    download_copies: "下载全部标注副本 (.zip)",
    download_sendback: "下载退回材料 (每单位一个文件夹,.zip)",
    download_consolidated: "下载本级汇总报表 (.xlsx)",
    level: "本级名称(审核单位,汇总报表的填报单位)",
    failed: "出错了: {message}",
  },
  en: {
    check_title: "Enforcement statistics · check a return",
    review_title: "Enforcement statistics · review returns",
    nav_check: "Check one return",
    nav_review: "Review many returns",
    switch: "中文",
    drop: "Drop a return (.xlsx, .xls, .et, .ods) here, or",
    choose: "choose a file",
    not_kept: "The return is used for this check only: it is deleted from the server when the check ends, never kept or passed on.",
    template: "Download a blank return (.xlsx)",
    template_unit: "with the unit's name (optional):",
    not_kept_many: "The returns and reference files are used for this review only: deleted from the server when it ends, never kept.",
    explain_note: "Explanations stay on this page (switching the language keeps them). \"Download the annotated copy\" writes them to its 审核说明 sheet; a warning counts as explained once that copy is filed (or uploaded here again). Closing or reloading the page loses any not downloaded.",
    unsaved: "Explanations typed but not downloaded are lost if you leave the page.",
    no_copy: "This file could not be read (the finding below says why), so there is no annotated copy.",
    pick_first: "Choose the returns to review first (several files, or one .zip).",
    lang_hint: "切换为中文",
    sheet_grid: "The return's sheets (cells to change and related cells marked)",
    checking: "Checking {name} …",
    uploading: "Uploading {done}%",
    reviewing: "Checking {count} returns …",
    reviewing_one: "Checking 1 return …",
    download_annotated: "Download the annotated copy (.xlsx; for an .xls, .et or .ods a new .xlsx of its values)",
    download_json: "Download the JSON report",
    counts: "{errors} errors, {warnings} warnings, {explained} explained",
    returns_count: "{count} returns",
    returns_count_one: "1 return",
    status_ok: "ok", status_warning: "warnings", status_error: "errors",
    status_explained: "ok (explained)", status_unreadable: "unreadable",
    whole: "whole return",
    fix: "fix",
    related: "see",
    where: "where to fix",
    explain: "If the figure is right, say why (written to the annotated copy's 审核说明 sheet):",
    explained: "explained:",
    error: "error", warning: "warning", info: "info",
    none: "No problems found.",
    hidden: "(hidden)",
    cut: "Only the first 150 rows and 40 columns are shown, and a long cell's beginning (ending in …); open the file in Excel or WPS for the rest.",
    returns: "Returns (.xlsx, .xls, .et, .ods, several, or one .zip)",
    registry: "Registry units.yaml (optional)",
    treasury: "Treasury figures .csv / .xlsx (optional)",
    previous: "Past returns .zip, one a year (optional, several)",
    start: "Review",
    head_unit: "unit", head_file: "file", head_errors: "errors", head_warnings: "warnings",
    head_explained: "explained", head_status: "status", head_where: "where to fix",
    across: "Findings across returns and against reference data",
    details: "Each return's findings",
    head_rule: "rule", head_severity: "severity", head_message: "problem", head_cells: "cells",
    download_summary: "Download the summary workbook (.xlsx)",
    download_copies: "Download every annotated copy (.zip)",
    download_sendback: "Download what to send back (a folder a unit, .zip)",
    download_consolidated: "Download the level's consolidated return (.xlsx)",
    level: "The level's name (reviewer; the consolidated return's unit)",
    failed: "Failed: {message}",
  },
};

const page = {
  lang: localStorage.getItem("formcheck-lang") === "en" ? "en" : "zh",
  onLanguage: null,
};

function t(key, params) {
  let text = WORDS[page.lang][key] || key;
  for (const [name, value] of Object.entries(params || {})) text = text.replace("{" + name + "}", value);
  return text;
}

// "{count} returns", or the "_one" form where a language has one and the count is 1
function counted(key, count) {
  const one = key + "_one";
  return count === 1 && WORDS[page.lang][one] ? t(one) : t(key, { count: count });
}

// A finding's message and hint as sentences: each ends with its full stop, never run together.
function sentence(message, hint) {
  const stop = page.lang === "zh" ? "。" : ".";
  const ended = (text) => (/[。.!?!?]$/.test(text) ? text : text + stop);
  const parts = [message, hint].map((text) => String(text || "").trim()).filter((text) => text);
  return parts.map(ended).join(page.lang === "zh" ? "" : " ");
}

function applyWords() {
  document.documentElement.lang = page.lang === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const node of document.querySelectorAll("[data-t-label]")) node.setAttribute("aria-label", t(node.dataset.tLabel));
  const switcher = document.getElementById("lang");
  if (switcher) {
    switcher.title = t("lang_hint");
    switcher.lang = page.lang === "zh" ? "en" : "zh-CN";  // its word is in the other language
  }
  const title = document.querySelector("h1");
  if (title) document.title = title.textContent;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function saveBlob(blob, name) {
  const link = element("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.appendChild(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}

function nameFrom(response, fallback) {
  const header = response.headers.get("content-disposition") || "";
  const match = header.match(/filename\*=UTF-8''([^;]+)/);
  return match ? decodeURIComponent(match[1]) : fallback;
}

async function failure(response) {
  try {
    const body = await response.json();
    return body.error ? body.error.message : response.statusText;
  } catch (ignored) {
    return response.status + " " + response.statusText;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  applyWords();
  document.getElementById("lang").addEventListener("click", () => {
    page.lang = page.lang === "zh" ? "en" : "zh";
    localStorage.setItem("formcheck-lang", page.lang);
    applyWords();
    if (page.onLanguage) page.onLanguage();
  });
});
