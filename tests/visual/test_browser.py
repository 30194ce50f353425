"""The graph pages in headless Chromium, served by uvicorn from an in-memory store.

Skipped when Chromium, its driver or selenium is missing, unless
``MARKETGRAPH_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure.
Each page under test leaves a screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from visual_data import (
    COAST_LINES,
    HALVORSEN,
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    IMG_ORG,
    PINECREST,
    RIDGEWAY,
    SALTMARSH,
    SCRIPT_ORG,
    coast_facts,
    figures_facts,
    hostile_facts,
    hostile_market_facts,
    iri,
    load,
    make_app,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
COAST_LABELS = {
    "Halvorsen Geodata", "Pinecrest Imaging", "Saltmarsh Labs", "Ridgeway Partners",
    "Fjordline Atlas", "Lowmark", "Greater Ostia", "Coastal Survey Data",
}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url():
    app = make_app(load(coast_facts(), hostile_facts(), figures_facts(), hostile_market_facts()))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(timeout=10)


def _wait_ready(driver) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return !!(window.mgPage && window.mgPage.ready)")
    )


def _open(driver, url: str, screenshot: str) -> None:
    """Load a page, wait until it is ready (its layout settled), and keep a screenshot."""
    driver.get_log("browser")  # forget what earlier pages logged
    driver.get(url)
    _wait_ready(driver)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{screenshot}.png"))


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _no_alert(driver) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        driver.switch_to.alert  # noqa: B018 (the lookup itself raises when there is none)
    except NoAlertPresentException:
        return True
    return False


def test_overview_draws_every_entity_without_console_errors(driver, base_url):
    _open(driver, base_url + "/", "overview")
    labels = driver.execute_script("return mgGraph.nodes.get().map(n => n.label)")
    assert set(labels) >= COAST_LABELS
    assert _errors(driver) == []


def test_overview_stops_physics_once_stabilized(driver, base_url):
    _open(driver, base_url + "/", "overview")
    assert driver.execute_script("return mgGraph.network.physics.options.enabled") is False
    assert driver.find_element("id", "graph-status").text == ""


def test_overview_search_by_alias_focuses_the_node(driver, base_url):
    from selenium.webdriver.common.keys import Keys

    _open(driver, base_url + "/", "overview")
    box = driver.find_element("id", "search-input")
    box.send_keys("halvorsen geodata as", Keys.ENTER)
    selected = driver.execute_script("return mgGraph.network.getSelectedNodes()")
    assert selected == [iri(HALVORSEN)]
    assert "Halvorsen Geodata" in driver.find_element("id", "details-body").text
    driver.save_screenshot(str(ARTIFACTS / "overview-search.png"))


def test_overview_search_for_nothing_says_so(driver, base_url):
    from selenium.webdriver.common.keys import Keys

    _open(driver, base_url + "/", "overview")
    driver.find_element("id", "search-input").send_keys("Nobody Inc", Keys.ENTER)
    assert "No entity named" in driver.find_element("id", "search-message").text
    assert driver.execute_script("return mgGraph.network.getSelectedNodes()") == []


def test_overview_type_filter_hides_and_shows_a_kind(driver, base_url):
    _open(driver, base_url + "/", "overview")
    hidden_orgs = "return mgGraph.nodes.get().filter(n => n.kind === 'org').map(n => !!n.hidden)"
    hidden_others = "return mgGraph.nodes.get().filter(n => n.kind !== 'org').some(n => !!n.hidden)"
    org_box = driver.find_element("css selector", "input[data-kind=org]")
    org_box.click()
    assert set(driver.execute_script(hidden_orgs)) == {True}
    assert driver.execute_script(hidden_others) is False
    driver.save_screenshot(str(ARTIFACTS / "overview-filtered.png"))
    org_box.click()
    assert set(driver.execute_script(hidden_orgs)) == {False}


def _at_node(driver, node: str):
    """Mouse actions placed over a node of the drawn graph."""
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = driver.find_element("css selector", "#graph canvas")
    x, y = driver.execute_script(
        "const id = arguments[0];"
        "const p = mgGraph.network.canvasToDOM(mgGraph.network.getPositions([id])[id]);"
        "return [p.x, p.y];",
        node,
    )
    size = canvas.size
    offset = (round(x - size["width"] / 2), round(y - size["height"] / 2))
    return ActionChains(driver).move_to_element_with_offset(canvas, *offset)


def test_overview_click_on_a_node_opens_its_page(driver, base_url):
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, base_url + "/", "overview")
    _at_node(driver, iri(RIDGEWAY)).click().perform()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/view/org/ridgeway-partners"))
    _wait_ready(driver)
    assert driver.find_element("id", "entity-name").text == "Ridgeway Partners"


def test_overview_hover_shows_the_tooltip_as_text(driver, base_url):
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, base_url + "/", "overview")
    _at_node(driver, iri(SCRIPT_ORG)).perform()
    tooltip = "const t = document.querySelector('div.vis-tooltip'); return t && t.textContent;"
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(tooltip))
    assert HOSTILE_SCRIPT in driver.execute_script(tooltip)
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    driver.save_screenshot(str(ARTIFACTS / "hostile-tooltip.png"))
    assert _no_alert(driver)


def test_entity_page_draws_the_neighbourhood_and_quotes(driver, base_url):
    _open(driver, base_url + "/view/org/pinecrest-imaging", "entity-pinecrest")
    ids = driver.execute_script("return mgGraph.nodes.getIds()")
    assert set(ids) == {iri(PINECREST), iri(HALVORSEN), iri(SALTMARSH)}
    labels = driver.execute_script("return mgGraph.edges.get().map(e => e.label)")
    assert "Acquisition · 2025-06 · EUR 85 million" in labels
    quotes = [q.text for q in driver.find_elements("css selector", "blockquote.mg-quote")]
    assert sorted(quotes) == sorted([COAST_LINES["deal"], COAST_LINES["partners"]])
    assert _errors(driver) == []


@pytest.mark.parametrize(
    ("path", "shot"),
    [
        ("/", "hostile-overview"),
        ("/view/deals", "hostile-deals"),
        ("/view/org/script-alert-1-script", "hostile-script-org"),
        ("/view/org/img-src-x-onerror-alert-1", "hostile-img-org"),
    ],
)
def test_hostile_names_show_literally_and_run_nothing(driver, base_url, path, shot):
    _open(driver, base_url + path, shot)
    assert _no_alert(driver)
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    found = driver.execute_script(
        "return [arguments[0], arguments[1]].map(id => {"
        "  const n = mgGraph.nodes.get(id);"
        "  return [n.label, n.title.textContent, n.title.querySelectorAll('img, script').length];"
        "});",
        iri(SCRIPT_ORG),
        iri(IMG_ORG),
    )
    (script_label, script_tip, script_tags), (img_label, img_tip, img_tags) = found
    assert (script_label, img_label) == (HOSTILE_SCRIPT, HOSTILE_IMG)
    assert HOSTILE_SCRIPT in script_tip and HOSTILE_IMG in img_tip
    assert script_tags == img_tags == 0
    assert _errors(driver) == []


# ------------------------------------------------------------------ reports and navigation

HIDDEN = "return mgGraph.nodes.get().filter(n => n.hidden).map(n => n.id)"


def test_overview_report_filter_hides_a_reports_entities(driver, base_url):
    _open(driver, base_url + "/", "overview-reports")
    box = driver.find_element("css selector", "#report-filter input[data-report$='/hostile-txt']")
    box.click()
    hidden = set(driver.execute_script(HIDDEN))
    assert {iri(SCRIPT_ORG), iri(IMG_ORG)} <= hidden
    assert not hidden & {iri(HALVORSEN), iri(PINECREST)}
    driver.save_screenshot(str(ARTIFACTS / "overview-report-filtered.png"))
    box.click()
    assert driver.execute_script(HIDDEN) == []
    assert _errors(driver) == []


def test_report_picker_reloads_the_page_on_one_report(driver, base_url):
    from selenium.webdriver.support.ui import Select, WebDriverWait

    _open(driver, base_url + "/view/deals", "deals")
    Select(driver.find_element("id", "report-select")).select_by_value("coast.txt")
    WebDriverWait(driver, 10).until(
        lambda d: d.current_url.endswith("/view/deals?report=coast.txt")
    )
    _wait_ready(driver)
    labels = set(driver.execute_script("return mgGraph.nodes.get().map(n => n.label)"))
    assert "Saltmarsh Labs" in labels and HOSTILE_SCRIPT not in labels
    assert _errors(driver) == []


def test_nav_bar_links_the_pages(driver, base_url):
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, base_url + "/", "overview")
    driver.find_element("link text", "Market").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/view/market"))
    _wait_ready(driver)
    driver.find_element("link text", "Deals").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/view/deals"))
    _wait_ready(driver)
    assert driver.find_element("css selector", "h1").text == "Deals"


# ------------------------------------------------------------------ deals

SHOWN_DEALS = "return [...new Set(mgGraph.edges.get().filter(e => !e.hidden).map(e => e.relation))]"


def _type_dates(driver, first: str, last: str) -> None:
    for field, value in (("date-from", first), ("date-to", last)):
        box = driver.find_element("id", field)
        box.clear()
        if value:
            box.send_keys(value)


def test_deals_page_draws_the_deals_without_console_errors(driver, base_url):
    _open(driver, base_url + "/view/deals", "deals")
    labels = set(driver.execute_script("return mgGraph.nodes.get().map(n => n.label)"))
    assert labels == {
        "Halvorsen Geodata", "Pinecrest Imaging", "Saltmarsh Labs", "Ridgeway Partners",
        HOSTILE_SCRIPT, HOSTILE_IMG,
    }  # fmt: skip
    assert driver.find_element("id", "deal-count").text == "4 of 4 deals shown."
    assert driver.execute_script("return mgGraph.network.physics.options.enabled") is False
    assert _errors(driver) == []


def test_deals_page_date_filter_hides_deals_outside_the_range(driver, base_url):
    _open(driver, base_url + "/view/deals", "deals")
    driver.find_element("id", "date-undated").click()  # only dated deals from now on
    _type_dates(driver, "2025-01", "2025-12")
    assert driver.execute_script(SHOWN_DEALS) == ["Acquisition"]
    assert driver.find_element("id", "deal-count").text == "1 of 4 deals shown."
    driver.save_screenshot(str(ARTIFACTS / "deals-dated.png"))
    _type_dates(driver, "2025-07", "")
    assert driver.execute_script(SHOWN_DEALS) == []
    # Organizations left with no deal in view are hidden with their deals.
    assert set(driver.execute_script(HIDDEN)) >= {iri(HALVORSEN), iri(PINECREST)}
    _type_dates(driver, "2024", "2025")  # a year stands for all its months
    assert driver.execute_script(SHOWN_DEALS) == ["Acquisition"]
    driver.find_element("id", "date-reset").click()
    assert len(driver.execute_script(SHOWN_DEALS)) == 3


def test_deals_page_type_filter_hides_a_deal_type(driver, base_url):
    _open(driver, base_url + "/view/deals", "deals")
    driver.find_element("css selector", "input[data-deal=Partnership]").click()
    assert sorted(driver.execute_script(SHOWN_DEALS)) == ["Acquisition", "FundingRound"]
    assert driver.find_element("id", "deal-count").text == "3 of 4 deals shown."


# ------------------------------------------------------------------ market


def test_market_page_draws_the_charts(driver, base_url):
    _open(driver, base_url + "/view/market", "market")
    charts = driver.execute_script(
        "return [...document.querySelectorAll('figure[data-chart]')].map(f => [f.dataset.chart,"
        " [...f.querySelectorAll('rect.mg-bar')].map(r => r.getBoundingClientRect().width)]);"
    )
    kinds = [kind for kind, _ in charts]
    assert {"size", "share", "factors"} <= set(kinds)
    for kind, widths in charts:
        assert widths and all(w > 0 for w in widths), kind
    assert _errors(driver) == []
    assert _no_alert(driver)
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0


def test_market_page_segment_links_open_entity_pages(driver, base_url):
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, base_url + "/view/market", "market")
    driver.find_element("link text", "Aerial").click()
    WebDriverWait(driver, 10).until(
        lambda d: d.current_url.endswith("/view/segment/survey-method/aerial")
    )
    _wait_ready(driver)
    assert driver.find_element("id", "entity-name").text == "Aerial"
