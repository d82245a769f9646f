"""Investigator views in a real headless Chromium, with networking switched off.

Each page is opened from file:// with the DevTools network emulation set to
offline; the tests read what the browser did (CDP network log, console log,
canvas pixels, DOM), never the page source alone. In CI (CI=true) a missing
Chromium fails the run; locally it skips.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnet.cli import main
from graphnet.redact import Redactor
from graphnet.views import write_view

from views_data import REL_ROW, SOURCE_PATH, VICTIM_NAME, XSS_IMG, XSS_SCRIPT

pytestmark = pytest.mark.browser

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")
_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome:", "chrome-extension:", "devtools:")


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI needs headless Chromium: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium(user_data_dir: str):
    """A headless Chromium (selenium) with background networking off and logs on."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        "--window-size=1400,900", f"--user-data-dir={user_data_dir}",
    ):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM or not CHROMEDRIVER:
        _unavailable("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    profile = tempfile.mkdtemp(prefix="graphnet-chromium-")
    driver = chromium(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Page:
    """A loaded view: what the browser requested and logged while loading it."""

    def __init__(self, driver, path: Path, timeout: float = 60.0):
        self.driver = driver
        driver.get("about:blank")
        driver.get_log("performance")
        driver.get_log("browser")
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        driver.get(path.resolve().as_uri())
        deadline = time.time() + timeout
        while time.time() < deadline:
            if driver.execute_script("return !!(window.graphnet && window.graphnet.state.stabilizedAt !== null)"):
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"{path.name} did not finish laying out in {timeout} s")
        time.sleep(0.3)  # let the last frame paint
        events = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
        self.events = events
        self.requests = [
            e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"
        ]
        self.console = driver.get_log("browser")

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)


def _write_scenario_page(tmp_path: Path, **kwargs) -> Path:
    from test_views import _scenario_graph

    out = tmp_path / "scenario.html"
    write_view(_scenario_graph(), out, sources={"0123456789abcdef:test": SOURCE_PATH}, hypotheses=True, size_by="degree", **kwargs)
    return out


def test_page_loads_offline_draws_and_has_no_error(browser, tmp_path):
    page = Page(browser, _write_scenario_page(tmp_path))
    remote = [u for u in page.requests if not u.startswith(_LOCAL_SCHEMES)]
    assert remote == [], f"the page tried to reach the network: {remote}"
    assert any(u.startswith("file:") for u in page.requests), "the CDP network log saw nothing: the check is blind"
    errors = [e for e in page.console if e["level"] in {"SEVERE", "ERROR"}]
    assert errors == [], errors
    # the canvas is there and not blank: count coloured pixels
    painted = page.js(
        """
        const c = document.querySelector('#graphnet-network canvas');
        if (!c) return -1;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) n++;
        return n;
        """
    )
    assert painted > 500, f"canvas has {painted} painted pixels"
    # physics stopped after stabilising (no endless jiggling)
    assert page.js("return window.graphnet.network.physics.physicsEnabled") is False
    legend = browser.find_element("id", "graphnet-legend").text
    for entry in ("victim", "recruiter", "organiser candidate", "lodging", "recruitment", "hypothesis (not evidence)"):
        assert entry in legend


def test_edge_tooltip_shows_its_source_file_and_row(browser, tmp_path):
    page = Page(browser, _write_scenario_page(tmp_path))
    edge = page.js(
        "return window.graphnet.edges.get({filter: e => e.type === 'RECRUITED' && e.to === 'police:V1'})[0].id"
    )
    # a click on the tie, through vis-network's own event (as a user's click would emit it)
    page.js("window.graphnet.network.body.emitter.emit('click', {nodes: [], edges: [arguments[0]]})", edge)
    details = browser.find_element("id", "graphnet-details").text
    assert f"{SOURCE_PATH}, row {REL_ROW[('RECRUITED', 'police:R1', 'police:V1')]}" in details
    assert details.startswith("RECRUITED: Budi Santoso -> Siti Aminah Rahayu")
    # hovering: vis-network's own tooltip shows the same text
    pos = page.js(
        """
        const n = window.graphnet.network, e = n.body.edges[arguments[0]];
        return n.canvasToDOM(e.edgeType.getPoint(0.5));
        """,
        edge,
    )
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = browser.find_element("css selector", "#graphnet-network canvas")
    rect = canvas.rect
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(pos["x"] - rect["width"] / 2), int(pos["y"] - rect["height"] / 2)
    ).perform()
    deadline = time.time() + 5
    tip = ""
    while time.time() < deadline and SOURCE_PATH not in tip:
        time.sleep(0.2)
        tip = page.js("const t = document.querySelector('div.vis-tooltip'); return t && t.style.visibility !== 'hidden' ? t.innerText : ''")
    assert f"{SOURCE_PATH}, row" in tip, f"tooltip: {tip!r}"


def test_xss_payloads_render_as_text_and_do_not_run(browser, tmp_path):
    page = Page(browser, _write_scenario_page(tmp_path))
    assert page.js("return window.__xss") is None
    assert page.js("return document.querySelectorAll('img').length") == 0
    # the names are there, as text: in the search result details and in the drawn labels
    found = page.js("return window.graphnet.find(arguments[0])", "onerror")
    assert found == ["police:V2"]
    assert XSS_IMG in browser.find_element("id", "graphnet-details").text
    labels = page.js("return window.graphnet.nodes.get().map(n => n.label)")
    assert XSS_IMG in labels and any(label.startswith(XSS_SCRIPT[:20]) for label in labels)
    page.js("window.graphnet.network.body.emitter.emit('click', {nodes: ['lodging:L1'], edges: []})")
    assert XSS_SCRIPT in browser.find_element("id", "graphnet-details").text
    assert page.js("return window.__xss") is None


def test_filter_and_search(browser, tmp_path):
    page = Page(browser, _write_scenario_page(tmp_path))
    browser.find_element("css selector", "input[data-filter='kind'][value='victim']").click()
    hidden = page.js("return window.graphnet.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()")
    assert hidden == ["police:V1", "police:V2"]
    browser.find_element("css selector", "input[data-filter='layer'][value='recruitment']").click()
    assert page.js("return window.graphnet.edges.get({filter: e => e.hidden}).map(e => e.type)") == ["RECRUITED", "RECRUITED"]
    box = browser.find_element("id", "graphnet-search-input")
    box.send_keys("budi\n")
    time.sleep(0.2)
    assert browser.find_element("id", "graphnet-search-result").text == "1 found"
    assert page.js("return window.graphnet.network.getSelectedNodes()") == ["police:R1"]


def test_redacted_page_has_no_victim_name_in_bytes_or_dom(browser, tmp_path):
    path = _write_scenario_page(tmp_path, redact=Redactor(b"case-key"))
    assert VICTIM_NAME.encode() not in path.read_bytes()
    page = Page(browser, path)
    assert VICTIM_NAME not in page.js("return document.documentElement.outerHTML")
    labels = page.js("return window.graphnet.nodes.get().map(n => n.label)")
    assert Redactor(b"case-key").pseudonym("police:V1") in labels


def test_view_of_a_shared_dataset_through_neo4j(browser, db, cli_env, tmp_path, datasets):
    from analytics_data import write_edge_list

    write_edge_list(db, datasets / "caviar" / "caviar_full_directed_edges.csv", prefix="caviar:")
    out = tmp_path / "caviar.html"
    r = CliRunner().invoke(main, ["view", str(out), "--around", "caviar:n1", "--hops", "2", "--size-by", "pagerank"], env=cli_env)
    assert r.exit_code == 0, r.output
    page = Page(browser, out)
    assert [u for u in page.requests if not u.startswith(_LOCAL_SCHEMES)] == []
    assert [e for e in page.console if e["level"] == "SEVERE"] == []
    shown = page.js("return window.graphnet.nodes.length")
    assert shown == int(r.output.split(": ")[1].split(" nodes")[0]) and shown > 10


def test_large_view_stabilises_and_stops(browser, tmp_path):
    G = nx.barabasi_albert_graph(800, 2, seed=1)
    nx.set_node_attributes(G, "Person", "label")
    out = tmp_path / "big.html"
    write_view(G, out, size_by="degree")
    page = Page(browser, out, timeout=120)
    took = page.js("return window.graphnet.state.stabilizedAt - window.graphnet.state.startedAt")
    assert took > 0
    assert page.js("return window.graphnet.network.physics.physicsEnabled") is False
    assert page.js("return window.graphnet.nodes.length") == 800


def test_hostile_spreadsheet_through_loader_neo4j_and_view(browser, db, cli_env, tmp_path):
    """A guest register whose cells carry script: loaded, projected, drawn; the page shows text, runs nothing."""
    hostile_lodging = "Losmen <script>window.__xss=3</script>"
    hostile_guest = '"><img src=x onerror="window.__xss=4">'
    csv_path = tmp_path / "guests.csv"
    csv_path.write_text(
        "lodging_name,lodging_address,operator_name,operator_phone,guest_name,guest_nik,guest_phone,check_in\n"
        f'"{hostile_lodging}",Jl. Entikong 2,Pak Darto,081234567891,"{hostile_guest.replace(chr(34), chr(34) * 2)}",,,01-03-2018\n'
        f'"{hostile_lodging}",Jl. Entikong 2,Pak Darto,081234567891,Rina,,,02-03-2018\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    r = runner.invoke(main, ["load", "lodging_guests", str(csv_path)], env=cli_env)
    assert r.exit_code == 0, r.output
    out = tmp_path / "guests.html"
    r = runner.invoke(main, ["view", str(out), "--projection", "full"], env=cli_env)
    assert r.exit_code == 0, r.output
    page = Page(browser, out)
    assert page.js("return window.__xss") is None
    assert page.js("return document.querySelectorAll('img, iframe, object').length") == 0
    assert [e for e in page.console if e["level"] == "SEVERE"] == []
    labels = page.js("return window.graphnet.nodes.get().map(n => n.label)")
    assert hostile_guest in labels and any(label.startswith("Losmen <script>") for label in labels)
    # the tie from the hostile guest to the lodging cites the loaded file and its spreadsheet row (header = row 1)
    edge = page.js(
        "return window.graphnet.edges.get({filter: e => e.type === 'STAYED_AT' && "
        "window.graphnet.nodes.get(e.from).label === arguments[0]})[0].id",
        hostile_guest,
    )
    page.js("window.graphnet.network.body.emitter.emit('click', {nodes: [], edges: [arguments[0]]})", edge)
    details = browser.find_element("id", "graphnet-details").text
    assert f"{csv_path}, row 2" in details and hostile_guest in details
    assert page.js("return window.__xss") is None


def test_the_network_check_sees_a_remote_fetch_and_the_csp_blocks_it(browser, tmp_path):
    """Controls for the offline test: a planted remote image is seen without the CSP, and blocked with it."""
    import re

    page = _write_scenario_page(tmp_path).read_text(encoding="utf-8")
    planted = '<img id="planted" src="https://example.invalid/pixel.png">'
    without_csp = tmp_path / "no-csp.html"
    without_csp.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page).replace("<body>", "<body>" + planted), encoding="utf-8")
    seen = Page(browser, without_csp).requests
    assert "https://example.invalid/pixel.png" in seen
    with_csp = tmp_path / "csp.html"
    with_csp.write_text(page.replace("<body>", "<body>" + planted), encoding="utf-8")
    loaded = Page(browser, with_csp)
    sent = {e["params"]["requestId"]: e["params"]["request"]["url"] for e in loaded.events
            if e.get("method") == "Network.requestWillBeSent" and e["params"]["request"]["url"].startswith("https:")}
    blocked = {e["params"]["requestId"]: e["params"].get("blockedReason") for e in loaded.events
               if e.get("method") == "Network.loadingFailed"}
    assert sent and all(blocked.get(rid) == "csp" for rid in sent), (sent, blocked)
    assert any("Content Security Policy" in e["message"] for e in loaded.console)
