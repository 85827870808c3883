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
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,950"):
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
    browser.get(service.url + "/review")
    browser.find_element(By.ID, "returns").send_keys(str(bundle))
    browser.find_element(By.ID, "registry").send_keys(str(BATCH / "units.yaml"))
    browser.find_element(By.ID, "treasury").send_keys(str(BATCH / "treasury.csv"))
    browser.find_element(By.ID, "start").click()
    rows = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#returns-table tr")[1:])
    assert len(rows) == 12 and rows[-1].text.endswith("无法读取")
    across = browser.find_elements(By.CSS_SELECTOR, "#across-table tr")[1:]
    assert {row.find_elements(By.TAG_NAME, "td")[1].text for row in across} >= {"B-DUP", "B-MISSING", "B-TREASURY"}
    browser.set_window_size(1500, 1500)
    _picture(browser, "web-review.png")
    browser.find_element(By.ID, "download-summary").click()
    summary = _wait(lambda: list(browser.downloads.glob("*.xlsx")))[0]
    _wait(lambda: not list(browser.downloads.glob("*.crdownload")))
    assert openpyxl.load_workbook(io.BytesIO(summary.read_bytes())).sheetnames == ["报表", "问题清单", "规则统计"]
