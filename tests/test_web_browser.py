"""The pages in a real headless Chromium (the system's chromium and chromium-driver, driven by
selenium): the clerk's self-check from upload to the annotated copy, and the city's review.
Screenshots go to docs/pictures/ with FORMCHECK_PICTURES=1 (how the README's are made)."""

import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import BATCH, ROOT, SAMPLES
from webserver import Service

pytestmark = pytest.mark.slow

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if not (BROWSER and DRIVER) and not os.environ.get("FORMCHECK_REQUIRE_BROWSER"):
    pytest.skip("no chromium and chromium-driver here (.ci/run installs them)", allow_module_level=True)


@pytest.fixture(scope="module")
def service():
    running = Service()
    yield running
    running.stop()


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path)})
    driver = webdriver.Chrome(service=DriverService(DRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    driver.downloads = tmp_path
    yield driver
    driver.quit()


def _wait(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("waited in vain")


def _picture(driver, name: str) -> None:
    folder = ROOT / "docs" / "pictures" if os.environ.get("FORMCHECK_PICTURES") else driver.downloads
    driver.save_screenshot(str(Path(folder) / name))


def test_a_clerk_checks_explains_and_downloads_the_annotated_copy(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    browser.find_element(By.ID, "file").send_keys(str(SAMPLES / "as_filed.xlsx"))
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".finding"))
    errors = browser.find_elements(By.CSS_SELECTOR, ".finding.error")
    assert len(errors) == 5
    assert "错误 5 项,警告 4 项" in browser.find_element(By.ID, "summary").text
    subset = next(item for item in errors if item.get_attribute("data-rule") == "X-SUBSET")
    subset.click()
    cell = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "td.focus"))[0]
    assert cell.get_attribute("data-cell") == subset.get_attribute("data-cell") == "表2!G7"
    assert "fix-error" in cell.get_attribute("class") and cell.text == "690"
    time.sleep(0.8)  # the scroll, for the picture
    _picture(browser, "web-check.png")
    field = browser.find_element(By.CSS_SELECTOR, 'textarea[data-rule="T3-STAFF"]')
    field.send_keys("含 18 名已划转至综合行政执法大队、仍在本局持证的人员")
    browser.find_element(By.ID, "download-annotated").click()
    copy = _wait(lambda: [p for p in browser.downloads.glob("*_审核.xlsx")])[0]
    _wait(lambda: not list(browser.downloads.glob("*.crdownload")))
    rows = list(openpyxl.load_workbook(copy)["审核说明"].values)
    assert ("T3-STAFF", "表3!H6", "含 18 名已划转至综合行政执法大队、仍在本局持证的人员") in rows


def test_a_sheet_drawn_in_part_says_so(service, browser, tmp_path):
    from hostile_corpus import one_text_everywhere
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    browser.find_element(By.ID, "file").send_keys(str(one_text_everywhere(tmp_path)))
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, '.tab[data-sheet="附表"]'))[0].click()
    note = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#grid p.cut"))[0]
    assert note.text.startswith("此表只显示前 150 行、40 列,过长的单元格只显示开头")
    assert browser.find_element(By.CSS_SELECTOR, 'td[data-cell="附表!A1"]').text == "长" * 99 + "…"
    _picture(browser, "web-check-cut.png")


def test_english_on_a_switch(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    browser.find_element(By.ID, "lang").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Enforcement statistics · check a return"
    browser.find_element(By.ID, "file").send_keys(str(SAMPLES / "broken_transfers_t4_5.xlsx"))
    message = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".finding .message"))[0].text
    assert message.startswith("row 1 (湘乡市应急管理局): cases transferred (0) fewer than")
    browser.find_element(By.ID, "lang").click()  # back to Chinese for the next test


def test_a_city_reviews_a_zip_of_returns(service, browser, tmp_path):
    from selenium.webdriver.common.by import By

    bundle = tmp_path / "returns.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for path in sorted(BATCH.glob("*.xls*")):
            archive.write(path, path.name)
    past = []  # one .zip a past year, both chosen at once
    for year, folder in (("2023", "previous"), ("2022", "previous-2022")):
        past.append(tmp_path / f"{year}.zip")
        with zipfile.ZipFile(past[-1], "w") as archive:
            for path in sorted((BATCH / folder).glob("*.xlsx")):
                archive.write(path, path.name)
    browser.get(service.url + "/review")
    browser.find_element(By.ID, "returns").send_keys(str(bundle))
    browser.find_element(By.ID, "registry").send_keys(str(BATCH / "units.yaml"))
    browser.find_element(By.ID, "treasury").send_keys(str(BATCH / "treasury.csv"))
    browser.find_element(By.ID, "previous").send_keys("\n".join(map(str, past)))
    browser.find_element(By.ID, "start").click()
    rows = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#returns-table tr")[1:])
    assert len(rows) == 12 and rows[-1].text.endswith("无法读取")
    where = [row.find_elements(By.TAG_NAME, "td")[-1].text for row in rows]
    assert any(text.startswith("最少改动:改 ") for text in where) and where[-1] == ""
    across = browser.find_elements(By.CSS_SELECTOR, "#across-table tr")[1:]
    assert {row.find_elements(By.TAG_NAME, "td")[1].text for row in across} >= {
        "B-DUP",
        "B-MISSING",
        "B-TREASURY",
        "B-HISTORY",
        "B-JUMP",
    }
    browser.set_window_size(1366, 1400)
    _picture(browser, "web-review.png")
    browser.find_element(By.ID, "download-summary").click()
    summary = _wait(lambda: list(browser.downloads.glob("*.xlsx")))[0]
    _wait(lambda: not list(browser.downloads.glob("*.crdownload")))
    assert openpyxl.load_workbook(io.BytesIO(summary.read_bytes())).sheetnames == [
        "审核报告",
        "报表",
        "问题清单",
        "规则统计",
    ]
    browser.find_element(By.ID, "unit").send_keys("湘乡市")
    browser.find_element(By.ID, "download-sendback").click()
    sent = _wait(lambda: list(browser.downloads.glob("退回材料*.zip")))[0]
    _wait(lambda: not list(browser.downloads.glob("*.crdownload")))
    names = zipfile.ZipFile(sent).namelist()
    assert "名单.csv" in names and "白田镇人民政府/04_白田镇人民政府_审核.xlsx" in names
    browser.find_element(By.ID, "download-consolidated").click()
    made = _wait(lambda: list(browser.downloads.glob("汇总报表*.xlsx")))[0]
    _wait(lambda: not list(browser.downloads.glob("*.crdownload")))
    book = openpyxl.load_workbook(made)
    assert book.sheetnames == ["表1", "表2", "表3", "表4", "明细"] and book["表1"]["B7"].value == "湘乡市"


def _axe(driver) -> list:
    """axe-core's serious and critical violations on the page as it stands (WCAG 2 A and AA)."""
    import axe_core_python

    script = (Path(axe_core_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    driver.execute_script(script)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']}).then((r) => done(r.violations));"
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found if v["impact"] in ("serious", "critical")]


def _tab_to(driver, wanted, most: int = 15):
    """Press Tab until the element `wanted(active)` accepts has the focus; the ids passed on the way."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    passed = []
    for _ in range(most):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        active = driver.switch_to.active_element
        passed.append(active.get_attribute("id") or active.tag_name)
        if wanted(active):
            return active
    raise AssertionError(f"never reached by Tab: {passed}")


def test_a_keyboard_user_uploads_finds_the_cell_and_explains(service, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(service.url + "/")
    picker = _tab_to(browser, lambda e: e.get_attribute("id") == "file")
    label = browser.find_element(By.CSS_SELECTOR, "label.picker")
    assert browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", label) == "solid"
    picker.send_keys(str(SAMPLES / "as_filed.xlsx"))  # what choosing in the dialog opened by Enter gives
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".finding"))
    go = _tab_to(browser, lambda e: e.text.startswith("改 表2!O8"), most=40)
    go.send_keys(Keys.ENTER)
    cell = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "td.focus"))[0]
    assert cell.get_attribute("data-cell") == "表2!O8"
    field = _tab_to(browser, lambda e: e.get_attribute("data-rule") == "T3-STAFF", most=40)
    field.send_keys("含 18 名已划转人员")
    assert browser.find_element(By.CSS_SELECTOR, 'textarea[data-rule="T3-STAFF"]').get_attribute("value")
    assert _axe(browser) == []


def test_switching_language_keeps_what_was_typed_and_says_what_becomes_of_it(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    browser.find_element(By.ID, "file").send_keys(str(SAMPLES / "as_filed.xlsx"))
    field = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, 'textarea[data-rule="T3-STAFF"]'))[0]
    field.send_keys("含 18 名已划转人员")
    note = browser.find_element(By.ID, "explain-note").text
    assert note.startswith("“说明”只保存在本页(切换语言不会丢失)。点“下载标注副本”后,说明写入副本的“审核说明”表")
    switch = browser.find_element(By.ID, "lang")
    assert (switch.text, switch.get_attribute("title")) == ("English", "Switch the page to English")
    switch.click()
    _wait(lambda: "explained" in browser.find_element(By.ID, "summary").text)
    field = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, 'textarea[data-rule="T3-STAFF"]'))[0]
    assert field.get_attribute("value") == "含 18 名已划转人员"
    assert browser.find_element(By.ID, "explain-note").text.startswith("Explanations stay on this page")
    message = browser.find_element(By.CSS_SELECTOR, '.finding[data-rule="T3-STAFF"] .message').text
    assert ". " in message and message.endswith(".") and ".." not in message  # message, then hint: two sentences
    browser.find_element(By.ID, "lang").click()


def test_the_page_offers_the_blank_return_and_says_the_upload_is_not_kept(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    assert "检查完即从服务器删除" in browser.find_element(By.ID, "drop").text
    browser.find_element(By.ID, "template-unit").send_keys("某县应急管理局")
    browser.find_element(By.ID, "template").click()
    blank = _wait(lambda: [p for p in browser.downloads.glob("*.xlsx")])[0]
    _wait(lambda: not list(browser.downloads.glob("*.crdownload")))
    book = openpyxl.load_workbook(blank)
    assert book.sheetnames == ["表1", "表2", "表3", "表4", "审核说明"]
    assert (book["表1"]["B7"].value, book["表4"]["B6"].value) == ("某县应急管理局", "某县应急管理局")


def test_an_unreadable_file_offers_no_copy(service, browser, tmp_path):
    from selenium.webdriver.common.by import By

    junk = tmp_path / "报表.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a workbook at all")
    browser.get(service.url + "/")
    browser.find_element(By.ID, "file").send_keys(str(junk))
    _wait(lambda: browser.find_element(By.ID, "summary").text)
    assert not browser.find_element(By.ID, "download-annotated").is_displayed()
    assert browser.find_element(By.ID, "status").text == "此文件未能读取(下方的问题说明了原因),所以没有标注副本。"


def test_review_without_files_says_so_and_counts_one_return_as_one(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/review")
    browser.find_element(By.ID, "start").click()
    assert browser.find_element(By.ID, "status").text == "请先选择要审核的报表文件(可多选,或一个 .zip)。"
    assert browser.switch_to.active_element.get_attribute("id") == "returns"
    browser.find_element(By.ID, "lang").click()
    browser.find_element(By.ID, "returns").send_keys(str(SAMPLES / "clean.xlsx"))
    browser.find_element(By.ID, "start").click()
    summary = _wait(lambda: browser.find_element(By.ID, "summary").text)
    assert summary.startswith("1 return · ")
    assert _axe(browser) == []
    browser.find_element(By.ID, "lang").click()


def _phone(driver) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    )


def test_on_a_phone_the_cell_to_change_is_seen_and_nothing_is_cut_off(service, browser):
    from selenium.webdriver.common.by import By

    _phone(browser)
    browser.get(service.url + "/")
    browser.find_element(By.ID, "file").send_keys(str(SAMPLES / "as_filed.xlsx"))
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".finding"))
    _picture(browser, "web-check-phone.png")
    fits = "return document.documentElement.scrollWidth <= window.innerWidth"
    assert browser.execute_script(fits)
    grid = browser.find_element(By.ID, "grid")
    assert grid.size["height"] >= 240 and grid.size["width"] >= 340
    browser.find_element(By.CSS_SELECTOR, '.finding[data-rule="X-SUBSET"] button.cell').click()
    cell = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "td.focus"))[0]
    time.sleep(0.8)  # the smooth scroll
    seen = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;",
        cell,
    )
    assert seen and cell.size["height"] >= 14
    _picture(browser, "web-check-phone-cell.png")
    browser.get(service.url + "/review")
    assert browser.execute_script(fits)
    start = browser.find_element(By.ID, "start")
    assert start.location["x"] + start.size["width"] <= 390
    _picture(browser, "web-review-phone.png")


def test_the_page_says_where_to_fix_first_and_jumps_to_the_cell(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    browser.find_element(By.ID, "file").send_keys(str(SAMPLES / "broken_transfers_t4_5.xlsx"))
    where = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#findings .where"))[0]
    assert where.text.splitlines()[:2] == ["改哪里", "最少改动:改 1 处即可使全部规则同时成立:表4!E6 现为 2,应为 0"]
    assert browser.find_element(By.CSS_SELECTOR, "#findings > *").get_attribute("class") == "group where"
    where.find_element(By.CSS_SELECTOR, "button.cell").click()
    cell = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "td.focus"))[0]
    assert cell.get_attribute("data-cell") == "表4!E6" and cell.text == "2"
    time.sleep(0.5)
    _picture(browser, "web-where.png")
