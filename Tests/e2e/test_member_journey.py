"""A member's life on the site in a real browser: first steps and the welcome, settings, a copy
of one's data, leaving, and new terms to accept.

1. First steps and the welcome. Iris signs up in English and logs in for the first time: the
   site invites her to introduce herself (posting an empty introduction as a topic is refused,
   the box stays ticked), she saves a few words and lands on the manual, whose "continue"
   button takes her to the member home; there she starts her first topic. Her profile shows the
   introduction and her topic, never her email address or real name. A moderator (Dutch; made
   by the first administrator, two-factor sign-in set up on the way) finds "first post to
   welcome" in the review queue, opens the welcome form, which is prefilled from the template
   in *Iris's* language, previews it (nothing is posted) and posts it; the item leaves the
   queue and Iris reads the welcome in her topic.
2. Settings, Dutch then English. Sanne tries a pseudonym that is too short (the error comes
   back with what she typed), then a good one (her profile moves with it, the old address
   answers 404), then another one at once (refused: once per 30 days). She writes a safety
   plan, then switches the site to English and another time zone; settings and the plan are
   in English from then on.
3. The export. Ethan (English) posts his introduction as a topic and starts one, asks for a
   copy of his data and refreshes until the background job has built it. The ZIP downloads
   with his session only, passes its CRC check, and holds his posts, his consents to the
   terms, privacy policy and rules, his safety plan, and a readable index.html (which is saved
   for the Nu validator too).
4. Leaving and coming back. Bram replies to Anna's topic and closes his account: without a
   choice about his posts, then with a wrong password, the form says what is missing and
   keeps the choice; then he leaves, keeping his posts. Anna (Dutch) and Carla (English) see
   the reply under "voormalig lid" / "former member", never his pseudonym, and his profile
   is gone (404). When Bram logs in again within the grace period, his account is back.
5. New terms (runs last in this file: see below). The administrator previews and then
   publishes a new version of the terms in both languages and is asked to accept it first.
   Dora (Dutch) is sent to /accept-terms on her next page, can still reach help and her data,
   is refused without ticking the box and returns to where she was going after ticking it.
   Evert (English) sends a reply just as the terms change: his text is kept and waits in the
   reply form after he accepts. Fay, who signs up after the change, is not asked at all.

   Every account made before the publish (and never after) has to accept the new terms,
   including the administrator that conftest shares with test_moderation.py and
   test_safety.py, which run after this file. The administrator accepts here, and those files
   sign up all their other people fresh, so they are not affected.

A separate check (test_times_follow_the_members_time_zone) records a known app bug: the time
zone setting promises "times on the site follow this time zone", but every time is shown in
Europe/Amsterdam.

Every page visited goes through `site.check` (layout, axe-core, HTML saved for the Nu
validator). Strings are compared with Resources/Locales/{nl,en}.json, so the checks follow the
texts the app actually uses.
"""

from __future__ import annotations

import io
import json
import re
import time
import uuid
import zipfile
from datetime import datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import (PASSWORD, REPO, Site, become_first_admin, fetch_status, log_in_team, make_moderator,
                      open_team_page, person, select, server_clock_offset)
from test_accounts import log_in, log_out, register

# The app's UI strings, to compare what pages say with what they should say.
def _strings(lang):
    """A language's UI strings: Locales/<lang>.json and each feature's Locales/<lang>/*.json."""
    folder = REPO / "Resources" / "Locales"
    table = json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))
    for extra in sorted((folder / lang).glob("*.json")):
        table.update(json.loads(extra.read_text(encoding="utf-8")))
    return table


LOCALES = {lang: _strings(lang) for lang in ("nl", "en")}
CATEGORY = "/c/living-with-depression"
# The background jobs run every 2 seconds; building an export takes well under that.
EXPORT_WITHIN = 30.0


def t(lang: str, key: str, **values: str) -> str:
    """The UI string `key` in `lang`, with {placeholders} filled in."""
    text = LOCALES[lang][key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


# ------------------------------------------------------------------------------------------
# Steps shared by the journeys
# ------------------------------------------------------------------------------------------


def flash(site: Site) -> str:
    """The text of the flash messages on the page shown now ('' when there are none)."""
    return " ".join(el.text for el in site.d.find_elements(By.CSS_SELECTOR, ".flash"))


def http_get(site: Site, path: str, *, cookies: bool = True) -> requests.Response:
    """A GET outside the browser (with its cookies unless told otherwise), redirects not
    followed: for downloads and for redirects, which fetch_status cannot see."""
    headers = {"Accept": "text/html"}
    if cookies:
        headers["Cookie"] = site.cookies_header()
    return requests.get(site.url(path), headers=headers, allow_redirects=False, timeout=30)


def assert_redirect(resp: requests.Response, path: str, *, to: str) -> str:
    """Asserts that `resp` redirects to the path `to`; returns its `next` parameter."""
    assert resp.status_code in (302, 303, 307), f"GET {path} answered {resp.status_code}, not a redirect to {to}"
    location = urlsplit(resp.headers.get("Location", ""))
    assert location.path == to, f"GET {path} redirected to {resp.headers.get('Location')!r}, not {to}"
    return unquote(parse_qs(location.query).get("next", [""])[0])


def first_login(site: Site, who) -> None:
    """Logs in for the first time and stays on the invitation to introduce oneself."""
    site.open("/login")
    site.check("login")
    site.fill("email", who.email)
    site.fill("password", PASSWORD)
    site.click_and_wait("#login-submit")
    parts = urlsplit(site.d.current_url)
    assert parts.path == "/intro", f"a first login did not lead to /intro but to {site.path}:\n{site.text('main')}"
    assert parse_qs(parts.query).get("next") == ["/"], f"/intro does not lead on to the member home: {site.path}"


def introduce(site: Site, lang: str, text: str, *, also_post: bool) -> None:
    """On /intro (first time): saves the introduction, reads the manual and continues home."""
    assert site.has("#intro-form") and site.has("#intro-skip"), "the invitation has no form or no way to skip it"
    site.fill("introduction", text)
    site.tick("also_post", also_post)
    site.click_and_wait("#intro-save")
    parts = urlsplit(site.d.current_url)
    assert parts.path == "/manual", f"saving the introduction ended on {site.path}:\n{site.text('main')}"
    query = parse_qs(parts.query)
    assert query.get("first") == ["1"] and query.get("next") == ["/"], f"the manual lacks first=1&next=/: {site.path}"
    assert site.has("#page-manual"), "the manual page shows no #page-manual"
    assert urlsplit(site.attr("#manual-continue", "href")).path == "/", "#manual-continue does not lead to the member home"
    assert t(lang, "intro.manual_continue") == site.text("#manual-continue")
    site.check("manual-first")
    site.click_and_wait("#manual-continue")
    assert urlsplit(site.d.current_url).path == "/" and site.has("#member-home"), \
        f"continuing from the manual ended on {site.path}:\n{site.text('main')}"
    site.check("member-home-first")


def start_topic(site: Site, title: str, body: str) -> str:
    """Starts a topic in "Living with depression"; returns its path (/t/<id>)."""
    site.open(CATEGORY)
    site.check("category")
    site.click_and_wait("#new-topic")
    site.check("new-topic")
    site.fill("title", title)
    site.fill("body", body)
    site.click_and_wait("#topic-form-submit")
    path = urlsplit(site.d.current_url).path
    assert re.fullmatch(r"/t/\d+", path), f"posting the topic ended on {site.path}:\n{site.text('main')}"
    assert title in site.text("#topic-title") and body in site.text("#post-1"), "the new topic does not show what was written"
    site.check("topic-started")
    return path


def reply_to(site: Site, topic_path: str, body: str) -> int:
    """Replies at the bottom of the topic page; returns the reply's number."""
    site.open(topic_path)
    site.fill("body", body)
    site.click_and_wait("#reply-form-submit")
    assert urlsplit(site.d.current_url).path == topic_path, f"replying ended on {site.path}:\n{site.text('main')}"
    numbers = [int(li.get_attribute("id").removeprefix("post-"))
               for li in site.d.find_elements(By.CSS_SELECTOR, "li.post[id^='post-']") if body in li.text]
    assert numbers, f"the reply is not on the topic page:\n{site.text('main')}"
    site.check("topic-replied")
    return numbers[-1]


def find_welcome_item(site: Site, pseudonym: str) -> str:
    """The id of the open "first post to welcome" item about `pseudonym` in the review queue,
    going through its pages (a run's other tests leave welcome items of their own)."""
    for page in range(1, 21):
        site.open(f"/mod/queue?page={page}")
        for li in site.d.find_elements(By.CSS_SELECTOR, "#queue-items li.queue-welcome"):
            if pseudonym in li.text:
                return li.get_attribute("id").removeprefix("item-")
        if not site.has(f"nav.pagination a[href='/mod/queue?page={page + 1}']"):
            break
    raise AssertionError(f"no welcome item for {pseudonym} in the review queue:\n{site.text('main')}")


def selected(site: Site, field_id: str) -> str:
    """The value of the option chosen in a select."""
    return Select(site.d.find_element(By.ID, field_id)).first_selected_option.get_attribute("value")


def hours_and_minutes(moments: list[datetime], zone: str) -> set[str]:
    """How the server's clock in `zone` shows these moments (HH:MM), e.g. {"14:05", "14:06"}:
    journeys before this one may have moved the server's clock forward."""
    ahead = timedelta(seconds=server_clock_offset())
    return {(m + ahead).astimezone(ZoneInfo(zone)).strftime("%H:%M") for m in moments}


# ------------------------------------------------------------------------------------------
# 1. First steps and the welcome
# ------------------------------------------------------------------------------------------


def test_first_steps_introduction_manual_first_topic_and_welcome(site, new_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    iris = person("Iris", real_name=f"Iris Verborgen {tag}")
    mod = person("Mees")
    intro_text = f"I like long walks and crosswords ({tag})."
    title = f"Mornings are the hardest {tag}"
    body = "Getting out of bed takes me an hour. Does anyone else have this?"

    team = new_site("team")  # the administrator, then the moderator (Dutch)
    site.switch_language("en")
    team.switch_language("nl")
    register(site, mailbox, base_url, iris)  # signing up in English makes English her language
    register(team, mailbox, base_url, mod)
    become_first_admin(team, base_url)
    make_moderator(team, mod)
    log_out(team)

    # Iris's first login: the invitation. Posting an empty introduction as a topic is refused,
    # with the box still ticked; then she saves a few words (not as a topic).
    first_login(site, iris)
    assert site.html_lang() == "en"
    assert site.text("h1") == t("en", "intro.title")
    assert site.text("#intro-skip") == t("en", "intro.skip")
    site.check("intro")
    site.tick("also_post")
    status = fetch_status(site, "/intro", "#intro-form")
    assert status == 422, f"posting an empty introduction as a topic answered {status}, not 422"
    site.click_and_wait("#intro-save")
    assert urlsplit(site.d.current_url).path == "/intro", f"an empty introduction to post went on to {site.path}"
    assert t("en", "intro.error.empty") in site.text("#form-errors"), f"no error for the empty introduction:\n{site.text('main')}"
    assert site.attr("#introduction", "aria-invalid") == "true", "the empty introduction is not marked aria-invalid"
    assert site.d.find_element(By.ID, "also_post").is_selected(), "the refused form lost the ticked box"
    site.check("intro-empty-error", dom=True)
    introduce(site, "en", intro_text, also_post=False)

    # Her first topic.
    topic_path = start_topic(site, title, body)

    # Her own profile: the introduction and the topic, a link to edit; no email, no real name.
    site.open(f"/u/{iris.pseudonym}")
    assert site.text("#profile-name") == iris.pseudonym
    assert site.text("#profile-introduction") == intro_text, f"the profile shows {site.text('#profile-introduction')!r}"
    assert site.has("#edit-introduction"), "Iris is not offered to edit her own introduction"
    topics = [a.text for a in site.d.find_elements(By.CSS_SELECTOR, "#profile-topics a")]
    assert title in topics, f"the profile does not list her topic: {topics}"
    for secret in (iris.email, iris.real_name):
        assert secret not in site.d.page_source, f"the profile page contains {secret!r}"
    site.check("profile-own")

    # The moderator's first visit to the team pages sets up two-factor sign-in.
    log_in_team(team, mod)
    open_team_page(team, mod, "/mod/queue")
    item = find_welcome_item(team, iris.pseudonym)
    li = f"#item-{item}"
    assert team.text(f"{li} .badge") == t("nl", "mod.queue.kind.welcome")
    assert title in team.text(f"{li} h2"), f"the welcome item does not name the topic:\n{team.text(li)}"
    link = urlsplit(team.attr(f"{li} h2 a", "href"))
    assert link.path == topic_path and link.fragment == "post-1", f"the item links to {link.geturl()!r}"
    team.check("queue-welcome-item")

    # The welcome form is prefilled in Iris's language (English), though the moderator reads Dutch.
    team.click_and_wait(f"#welcome-{item}")
    welcome_path = f"/mod/queue/{item}/welcome"
    assert urlsplit(team.d.current_url).path == welcome_path, f"the welcome link went to {team.path}"
    assert team.html_lang() == "nl"
    assert team.text("h1") == t("nl", "mod.welcome.title", name=iris.pseudonym)
    assert urlsplit(team.attr("main p.lead a", "href")).path == topic_path, "the form does not link to the topic"
    prefilled = team.value("body")
    assert prefilled.startswith(f"Welcome, {iris.pseudonym}!"), f"the welcome is not the English template for Iris:\n{prefilled}"
    assert "{name}" not in prefilled, "the template's {name} was not filled in"
    team.check("welcome-form")

    # Preview: the cooked text is shown, the text kept, and nothing is posted yet.
    team.click_and_wait("#welcome-form-preview")
    assert urlsplit(team.d.current_url).path == welcome_path, f"the preview went to {team.path}"
    assert team.has(".preview") and iris.pseudonym in team.text(".preview"), "the preview does not show the welcome"
    assert team.value("body") == prefilled, "the preview changed the text"
    team.check("welcome-preview", dom=True)
    team.open(topic_path)
    assert not team.has("#post-2"), "the preview posted the welcome"
    team.check("topic-before-welcome")

    team.open(welcome_path)
    team.click_and_wait("#welcome-form-submit")
    assert urlsplit(team.d.current_url).path == topic_path, f"posting the welcome ended on {team.path}"
    assert t("nl", "mod.welcome.sent") in flash(team), f"no 'welcome posted' message: {flash(team)!r}"
    assert team.text("#post-2-author") == mod.pseudonym, "the welcome is not posted under the moderator's name"
    assert f"Welcome, {iris.pseudonym}!" in team.text("#post-2")
    assert not team.has("#post-3"), "the welcome was posted twice"
    team.check("topic-welcomed", dom=True)

    # The item is resolved, and its form is gone.
    team.open("/mod/queue")
    assert not team.has(f"#item-{item}"), "the welcome item is still in the queue after the welcome"
    team.check("queue-after-welcome")
    assert fetch_status(team, welcome_path) == 404, "the welcome form of a resolved item is still there"

    # What another member sees of Iris: the introduction, her topic; no email, no real name.
    team.open(f"/u/{iris.pseudonym}")
    assert team.text("#profile-introduction") == intro_text
    assert not team.has("#edit-introduction"), "someone else is offered to edit Iris's introduction"
    for secret in (iris.email, iris.real_name):
        assert secret not in team.d.page_source, f"Iris's profile shows {secret!r} to another member"
    team.check("profile-seen-by-moderator")

    # Iris reads the welcome in her topic.
    site.open(topic_path)
    assert site.text("#post-2-author") == mod.pseudonym
    assert f"Welcome, {iris.pseudonym}!" in site.text("#post-2"), f"Iris does not see the welcome:\n{site.text('main')}"
    site.check("topic-with-welcome")


# ------------------------------------------------------------------------------------------
# 2. Settings, in Dutch and then in English
# ------------------------------------------------------------------------------------------


def test_settings_pseudonym_safety_plan_language_and_time_zone(site, mailbox, base_url):
    sanne = person("Sanne")
    new_name = person("Saar").pseudonym
    plan = {
        "warning_signs": "Ik slaap slecht en zeg afspraken af.",
        "what_helps": "Wandelen met de hond, muziek luisteren.",
        "people": "Mijn zus, mijn buurman.",
        "professionals": "De huisarts en de praktijkondersteuner.",
    }

    site.switch_language("nl")
    register(site, mailbox, base_url, sanne)
    log_in(site, sanne.email, PASSWORD)
    site.open("/settings")
    assert site.text("h1") == t("nl", "settings.title")
    assert sanne.email in site.text("#current-email"), "the settings do not show the member's own email address"
    assert site.value("new_pseudonym") == sanne.pseudonym
    assert not site.has("#pseudonym-wait"), "a new member is told to wait before changing the pseudonym"
    site.check("settings")

    # Too short: the error, and the typed value kept.
    site.fill("new_pseudonym", "x")
    site.click_and_wait("#pseudonym-submit")
    assert t("nl", "signup.error.pseudonym_length") in site.text("#form-errors"), f"no length error:\n{site.text('main')}"
    assert site.value("new_pseudonym") == "x", f"the typed pseudonym was not kept: {site.value('new_pseudonym')!r}"
    assert site.attr("#new_pseudonym", "aria-invalid") == "true"
    site.check("settings-pseudonym-too-short", dom=True)

    # A good one: changed, and the profile moves with it.
    site.fill("new_pseudonym", new_name)
    site.click_and_wait("#pseudonym-submit")
    assert urlsplit(site.d.current_url).path == "/settings", f"changing the pseudonym ended on {site.path}"
    assert t("nl", "settings.pseudonym_changed") in flash(site), f"no success message: {flash(site)!r}"
    assert site.value("new_pseudonym") == new_name
    assert site.has("#pseudonym-wait"), "after a change the page does not say when the next one is possible"
    site.check("settings-pseudonym-changed")
    assert fetch_status(site, f"/u/{sanne.pseudonym}") == 404, "the old pseudonym still has a profile"
    site.open(f"/u/{new_name}")
    assert site.text("#profile-name") == new_name
    site.check("profile-new-name")

    # Another change at once: refused (once per 30 days), the typed value kept.
    other = person("Suus").pseudonym
    site.open("/settings")
    site.fill("new_pseudonym", other)
    site.click_and_wait("#pseudonym-submit")
    assert t("nl", "settings.error.pseudonym_too_soon") in site.text("#form-errors"), \
        f"a second change within 30 days is not refused:\n{site.text('main')}"
    assert site.value("new_pseudonym") == other
    site.check("settings-pseudonym-too-soon", dom=True)
    assert fetch_status(site, f"/u/{other}") == 404, "the refused pseudonym was taken anyway"

    # The safety plan, from its link in settings.
    site.open("/settings")
    site.click_and_wait("#safety-plan-link")
    assert urlsplit(site.d.current_url).path == "/settings/safety-plan"
    assert site.text("h1") == t("nl", "safety_plan.title")
    site.check("safety-plan-empty")
    for field, text in plan.items():
        site.fill(field, text)
    site.click_and_wait("#safety-plan-submit")
    assert urlsplit(site.d.current_url).path == "/settings/safety-plan", f"saving the plan ended on {site.path}"
    assert t("nl", "safety_plan.saved") in flash(site), f"no 'plan saved' message: {flash(site)!r}"
    for field, text in plan.items():
        assert site.value(field) == text, f"the plan's {field} reads {site.value(field)!r} after saving"
    assert t("nl", "safety_plan.updated", date="").strip() in site.text("main"), "the plan does not say when it changed"
    site.check("safety-plan-saved")

    # English and another time zone: everything follows at once.
    site.open("/settings")
    zones = [o.get_attribute("value") for o in site.d.find_elements(By.CSS_SELECTOR, "#time_zone option")]
    assert "Asia/Tokyo" in zones, "Asia/Tokyo is not offered as a time zone"
    assert selected(site, "time_zone") == "Europe/Amsterdam"
    select(site, "locale", "en")
    select(site, "time_zone", "Asia/Tokyo")
    site.click_and_wait("#language-submit")
    site.lang = "en"  # from here on every page must be English
    assert urlsplit(site.d.current_url).path == "/settings", f"saving the language ended on {site.path}"
    assert site.html_lang() == "en" and site.text("h1") == t("en", "settings.title"), "the settings are not in English"
    assert t("en", "flash.saved") in flash(site), f"no 'Saved.' message in English: {flash(site)!r}"
    assert selected(site, "locale") == "en"
    assert selected(site, "time_zone") == "Asia/Tokyo"
    assert site.text("#pseudonym-heading") == t("en", "settings.pseudonym")
    site.check("settings-en")

    site.open("/settings/safety-plan")
    assert site.text("h1") == t("en", "safety_plan.title")
    assert all(site.value(field) == text for field, text in plan.items()), "the plan changed with the language"
    site.check("safety-plan-en")
    site.open("/")
    assert site.has("#member-home") and site.text("h1") == t("en", "home.member_greeting", name=new_name)
    site.check("member-home-en")


# ------------------------------------------------------------------------------------------
# 3. A copy of one's data
# ------------------------------------------------------------------------------------------


@pytest.mark.sqlite  # the export job: its claim (FOR UPDATE SKIP LOCKED on PostgreSQL only)
def test_export_is_built_in_the_background_and_downloads_as_a_sound_zip(site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    ethan = person("Ethan", real_name=f"Ethan Export {tag}")
    intro_text = f"Hello all, I read a lot and cook on Sundays ({tag})."
    title = f"Small steps {tag}"
    body = f"Today I made soup and went for a short walk ({tag})."
    plan_text = f"Calling my brother helps ({tag})."

    site.switch_language("en")
    register(site, mailbox, base_url, ethan)
    first_login(site, ethan)
    site.check("intro")
    introduce(site, "en", intro_text, also_post=True)  # also a topic in "Introduce yourself"
    topic_path = start_topic(site, title, body)
    site.open(f"/u/{ethan.pseudonym}")
    intro_title = t("en", "intro.topic_title", name=ethan.pseudonym)
    topics = [a.text for a in site.d.find_elements(By.CSS_SELECTOR, "#profile-topics a")]
    assert intro_title in topics and title in topics, f"the profile does not list both topics: {topics}"
    site.check("profile")
    site.open("/settings/safety-plan")
    site.fill("what_helps", plan_text)
    site.click_and_wait("#safety-plan-submit")
    assert site.value("what_helps") == plan_text

    # Ask for the export from settings.
    site.open("/settings")
    site.click_and_wait("#export-link")
    assert urlsplit(site.d.current_url).path == "/settings/export"
    assert site.text("h1") == t("en", "export.title") and not site.has("#exports"), "a new member already has exports"
    site.check("export-none")
    site.click_and_wait("#export-submit")
    assert urlsplit(site.d.current_url).path == "/settings/export", f"asking for the export ended on {site.path}"
    assert t("en", "export.requested") in flash(site), f"no 'we are preparing' message: {flash(site)!r}"
    assert len(site.d.find_elements(By.CSS_SELECTOR, "#exports li.export-item")) == 1
    site.check("export-requested", dom=True)

    # The background job builds it within seconds: refresh (with the page's own link while it
    # is on its way) until the download link is there.
    deadline = time.monotonic() + EXPORT_WITHIN
    checked_progress = False
    while not site.has("#exports a.export-download"):
        assert time.monotonic() < deadline, f"the export was not ready within {EXPORT_WITHIN:.0f} s:\n{site.text('main')}"
        if site.has("#export-refresh"):
            assert not site.has("#export-form"), "a second export can be asked for while one is being built"
            assert site.has("#exports progress"), "an export on its way shows no progress"
            if not checked_progress:
                site.check("export-building")
                checked_progress = True
            time.sleep(0.5)
            site.click_and_wait("#export-refresh")
        else:
            time.sleep(0.5)
            site.open("/settings/export")
    assert site.has("#export-form"), "a ready export leaves no way to ask for a new one"
    site.check("export-ready")
    href = site.attr("#exports a.export-download", "href")
    download = urlsplit(href).path
    assert re.fullmatch(r"/settings/export/[0-9A-Fa-f-]{36}/download", download), f"the download link is {href!r}"

    # Only with the member's session: a visitor is sent to log in.
    visitor = http_get(site, download, cookies=False)
    assert assert_redirect(visitor, download, to="/login") == download

    resp = http_get(site, download)
    assert resp.status_code == 200, f"the download answered {resp.status_code}"
    assert resp.headers.get("Content-Type", "").startswith("application/zip"), f"the download is {resp.headers.get('Content-Type')!r}"
    disposition = resp.headers.get("Content-Disposition", "")
    assert re.fullmatch(r'attachment; filename="depression-connect-\d{4}-\d{2}-\d{2}\.zip"', disposition), \
        f"Content-Disposition is {disposition!r}"
    assert "no-store" in resp.headers.get("Cache-Control", ""), "the archive may be cached"

    archive = zipfile.ZipFile(io.BytesIO(resp.content))
    assert archive.testzip() is None, "a file in the ZIP fails its CRC check"
    names = set(archive.namelist())
    for name in ("index.html", "profile.json", "settings.json", "posts.json", "reactions.json", "consents.json",
                 "moderation.json", "reports.json", "safety-plan.json"):
        assert name in names, f"the ZIP lacks {name} (it holds {sorted(names)})"

    profile = json.loads(archive.read("profile.json"))
    assert profile["pseudonym"] == ethan.pseudonym and profile["email"] == ethan.email
    assert profile["realName"] == ethan.real_name and profile["introduction"] == intro_text
    assert json.loads(archive.read("settings.json"))["language"] == "en"
    posts = json.loads(archive.read("posts.json"))
    written = {p["topicTitle"]: p["markdown"] for p in posts}
    assert written.get(title) == body, f"posts.json lacks the topic's text: {posts}"
    assert written.get(intro_title) == intro_text, f"posts.json lacks the introduction topic: {posts}"
    assert [p["topicID"] for p in posts if p["topicTitle"] == title] == [int(topic_path.removeprefix("/t/"))]
    consents = json.loads(archive.read("consents.json"))
    assert {c["page"] for c in consents} == {"terms", "privacy", "rules"}, f"consents.json lists {consents}"
    assert all(c["version"] >= 1 and c["acceptedAt"] for c in consents)
    assert json.loads(archive.read("safety-plan.json"))["whatHelps"] == plan_text

    index = archive.read("index.html").decode("utf-8")
    assert '<html lang="en">' in index and ethan.pseudonym in index and body in index, "index.html does not show the data"
    # The readable page is HTML the member opens in a browser: the Nu validator checks it too.
    site.folder.mkdir(parents=True, exist_ok=True)
    (site.folder / "export-index.html").write_text(index, encoding="utf-8")


# ------------------------------------------------------------------------------------------
# 4. Leaving, keeping the posts; and coming back
# ------------------------------------------------------------------------------------------


def test_leaving_keeps_posts_under_former_member_and_a_login_restores_the_account(site, new_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    anna, bram, carla = person("Anna"), person("Bram"), person("Carla")
    title = f"Een rustige zondag {tag}"
    reply = f"Bij mij helpt een vaste wandeling op zondag ({tag})."
    leaver = new_site("bram")
    english = new_site("carla")

    site.switch_language("nl")
    leaver.switch_language("nl")
    english.switch_language("en")
    register(site, mailbox, base_url, anna)
    register(leaver, mailbox, base_url, bram)
    register(english, mailbox, base_url, carla)

    log_in(site, anna.email, PASSWORD)
    topic_path = start_topic(site, title, "Hoe vullen jullie een lege zondag?")
    log_in(leaver, bram.email, PASSWORD)
    number = reply_to(leaver, topic_path, reply)
    assert leaver.text(f"#post-{number}-author") == bram.pseudonym

    # Bram finds "close your account" in settings.
    leaver.open("/settings")
    leaver.click_and_wait("#leave-link")
    assert urlsplit(leaver.d.current_url).path == "/settings/leave"
    assert leaver.text("h1") == t("nl", "leave.title")
    assert not any(r.is_selected() for r in leaver.d.find_elements(By.CSS_SELECTOR, "input[name='choice']")), \
        "a choice about the posts is made for the member"
    leaver.check("leave")

    # Without a choice: refused, and nothing happens.
    leaver.fill("password", PASSWORD)
    status = fetch_status(leaver, "/settings/leave", "#leave-form")
    assert status == 422, f"leaving without a choice answered {status}, not 422"
    leaver.click_and_wait("#leave-submit")
    assert urlsplit(leaver.d.current_url).path == "/settings/leave"
    assert t("nl", "leave.error.choice") in leaver.text("#form-errors"), f"no error for the missing choice:\n{leaver.text('main')}"
    assert leaver.has("form#logout-form"), "Bram was logged out by a refused form"
    leaver.check("leave-no-choice", dom=True)

    # With a wrong password: refused; the choice stays made.
    leaver.tick("choice-keep_posts")
    leaver.fill("password", "not-my-password")
    leaver.click_and_wait("#leave-submit")
    assert t("nl", "settings.error.current_password") in leaver.text("#form-errors")
    assert leaver.d.find_element(By.ID, "choice-keep_posts").is_selected(), "the refused form lost the choice"
    assert leaver.value("password") == "", "the password was sent back into the page"
    assert leaver.attr("#password", "aria-invalid") == "true"
    leaver.check("leave-wrong-password", dom=True)

    # Leaving, keeping the posts.
    leaver.fill("password", PASSWORD)
    leaver.click_and_wait("#leave-submit")
    assert leaver.has("#left-title"), f"leaving did not show the closed page:\n{leaver.text('main')}"
    assert leaver.text("#left-title") == t("nl", "leave.done_title")
    assert not leaver.has("form#logout-form"), "still logged in after leaving"
    leaver.check("left", dom=True)
    leaver.open("/settings")
    assert urlsplit(leaver.d.current_url).path == "/login", f"a closed account still opens /settings ({leaver.path})"
    leaver.check("login-after-leaving")

    # Anna sees the reply under "voormalig lid", never Bram's name; his profile is gone.
    site.open(topic_path)
    assert site.text(f"#post-{number}-author") == t("nl", "member.former")
    assert reply in site.text(f"#post-{number}"), "the kept reply's text is gone"
    assert bram.pseudonym not in site.text("main"), "Bram's pseudonym is still on the topic page"
    site.check("topic-former-member-nl")
    profile = f"/u/{bram.pseudonym}"
    assert fetch_status(site, profile) == 404, "the profile of a member who left is still there"
    site.open(profile)
    assert site.has('#error-page[data-status="404"]'), f"{profile} does not show the 404 page:\n{site.text('main')}"
    site.check("profile-gone")

    # Carla, in English, sees "former member".
    log_in(english, carla.email, PASSWORD)
    english.open(topic_path)
    assert english.text(f"#post-{number}-author") == t("en", "member.former")
    assert bram.pseudonym not in english.text("main")
    english.check("topic-former-member-en")

    # Within the grace period a login restores the account.
    log_in(leaver, bram.email, PASSWORD)
    assert t("nl", "flash.account_restored") in flash(leaver), f"no 'account restored' message: {flash(leaver)!r}"
    site.open(topic_path)
    assert site.text(f"#post-{number}-author") == bram.pseudonym, "the restored member's name is not back on his reply"
    site.check("topic-restored")
    assert fetch_status(site, profile) == 200, "the restored member's profile is still gone"


# ------------------------------------------------------------------------------------------
# Times follow the member's time zone
# ------------------------------------------------------------------------------------------


def test_times_follow_the_members_time_zone(site, mailbox, base_url):
    """Settings say "Times on the site ... follow this time zone". With Asia/Tokyo chosen, the
    moment the safety plan was saved must read in Tokyo time."""
    tess = person("Tess")
    site.switch_language("en")
    register(site, mailbox, base_url, tess)
    log_in(site, tess.email, PASSWORD)
    site.open("/settings")
    select(site, "time_zone", "Asia/Tokyo")
    site.click_and_wait("#language-submit")
    assert selected(site, "time_zone") == "Asia/Tokyo"
    site.check("settings-tokyo")

    site.open("/settings/safety-plan")
    site.fill("what_helps", "Tea and a blanket.")
    before = datetime.now().astimezone()
    site.click_and_wait("#safety-plan-submit")
    after = datetime.now().astimezone()
    moments = [before, after, after + timedelta(seconds=1)]
    updated = next(p.text for p in site.d.find_elements(By.CSS_SELECTOR, "main p.muted")
                   if p.text.startswith(t("en", "safety_plan.updated", date="").strip()))
    site.check("safety-plan-tokyo")
    assert hours_and_minutes(moments, "Asia/Tokyo") & set(re.findall(r"\d{2}:\d{2}", updated)), \
        f"with Asia/Tokyo chosen, /settings/safety-plan says '{updated}', which is not Tokyo time"


# ------------------------------------------------------------------------------------------
# 5. New terms to accept (keep this test last in the file; see the module docstring)
# ------------------------------------------------------------------------------------------


def append_to(site: Site, field_id: str, text: str) -> None:
    """Types `text` at the end of a textarea, as an editor would (the terms are long)."""
    el = site.d.find_element(By.ID, field_id)
    el.send_keys(Keys.CONTROL, Keys.END)
    el.send_keys(text)


def test_new_terms_are_accepted_at_the_next_visit_and_a_sent_reply_is_kept(site, new_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    dora, evert, fay = person("Dora"), person("Evert"), person("Fay")
    new_nl = f"Nieuwe afspraak over berichten bewaren ({tag})."
    new_en = f"New agreement on keeping posts ({tag})."
    evert_reply = f"Thank you for asking, reading along helps me ({tag})."
    team = new_site("admin")
    english = new_site("en")

    # Dora and Evert join (and log in) before the terms change; Dora starts a topic.
    site.switch_language("nl")
    team.switch_language("nl")
    english.switch_language("en")
    register(site, mailbox, base_url, dora)
    register(english, mailbox, base_url, evert)
    log_in(site, dora.email, PASSWORD)
    topic_path = start_topic(site, f"Wat lezen jullie {tag}", "Ik zoek een rustig boek voor de avond.")
    log_in(english, evert.email, PASSWORD)
    english.open(topic_path)
    assert english.has("#reply-form"), "Evert gets no reply form"
    english.check("topic-before-new-terms")

    # The administrator edits the terms in both languages; the preview publishes nothing.
    admin = become_first_admin(team, base_url)
    open_team_page(team, admin, "/admin/pages/terms")
    assert team.has("#page-form") and team.text("p.callout") == t("nl", "admin.pages.acceptance_note")
    for field in ("title_nl", "body_nl", "title_en", "body_en"):
        assert team.value(field).strip(), f"the editor does not hold the current {field}"
    history = team.d.find_elements(By.CSS_SELECTOR, "#page-history li")
    current = int(re.search(r"\d+", history[0].text).group(0))
    team.check("admin-terms")
    append_to(team, "body_nl", f"\n\n## Wijziging {tag}\n\n{new_nl}")
    append_to(team, "body_en", f"\n\n## Change {tag}\n\n{new_en}")
    team.click_and_wait("#page-preview")
    assert urlsplit(team.d.current_url).path == "/admin/pages/terms"
    assert new_nl in team.text("section.preview[lang='nl']") and new_en in team.text("section.preview[lang='en']"), \
        f"the previews do not show the changes:\n{team.text('main')}"
    assert len(team.d.find_elements(By.CSS_SELECTOR, "#page-history li")) == len(history), "the preview published a version"
    team.check("admin-terms-preview", dom=True)

    # Publishing: the administrator, who never accepted this version, is asked first.
    team.click_and_wait("#page-publish")
    parts = urlsplit(team.d.current_url)
    assert parts.path == "/accept-terms", f"after publishing the administrator is on {team.path}, not /accept-terms"
    assert parse_qs(parts.query).get("next") == ["/admin/pages/terms"]
    team.check("accept-terms-admin")
    team.tick("accept_terms")
    team.click_and_wait("#accept-submit")
    assert urlsplit(team.d.current_url).path == "/admin/pages/terms", f"accepting ended on {team.path}"
    newest = int(re.search(r"\d+", team.text("#page-history li:first-child")).group(0))
    assert newest == current + 1, f"publishing made version {newest}, expected {current + 1}"
    team.check("admin-terms-published")
    team.open(f"/admin/pages/terms/versions/{newest}")
    assert new_nl in team.text("article[lang='nl']") and new_en in team.text("article[lang='en']")
    team.check("admin-terms-version")

    # Dora's next page is the acceptance page; what she was going to is kept in `next`.
    site.open("/settings/safety-plan")
    parts = urlsplit(site.d.current_url)
    assert parts.path == "/accept-terms", f"Dora was not asked to accept the new terms ({site.path})"
    assert parse_qs(parts.query).get("next") == ["/settings/safety-plan"], f"the page she was going to is lost: {site.path}"
    assert site.text("h1") == t("nl", "terms.title")
    assert site.has("#policy-terms") and not site.has("#policy-privacy") and not site.has("#policy-rules"), \
        "pages that did not change are asked for again"
    site.d.find_element(By.CSS_SELECTOR, "#policy-terms summary").click()  # open the text, as a reader would
    assert new_nl in site.text("#policy-terms"), "the acceptance page does not show the new text in Dutch"
    assert f"{newest})" in site.text("#policy-terms summary"), "the acceptance page does not name the new version"
    assert site.has("#accept_terms") and not site.has("#accept_privacy") and not site.has("#accept_rules")
    site.check("accept-terms")

    # Help, the pages themselves and her data stay reachable; the rest waits.
    for path in ("/help", "/terms", "/settings/export", "/settings/leave"):
        assert http_get(site, path).status_code == 200, f"{path} is not reachable while the terms wait"
    assert assert_redirect(http_get(site, "/settings"), "/settings", to="/accept-terms") == "/settings"

    # Without ticking: refused, still here.
    status = fetch_status(site, "/accept-terms", "#accept-form")
    assert status == 422, f"accepting without the tick answered {status}, not 422"
    site.click_and_wait("#accept-submit")
    assert urlsplit(site.d.current_url).path == "/accept-terms"
    assert t("nl", "terms.error.terms") in site.text("#form-errors"), f"no error for the missing tick:\n{site.text('main')}"
    assert site.attr("#accept_terms", "aria-invalid") == "true"
    site.check("accept-terms-error", dom=True)

    # Ticking: accepted, and on to the page she was going to.
    site.tick("accept_terms")
    site.click_and_wait("#accept-submit")
    assert urlsplit(site.d.current_url).path == "/settings/safety-plan", f"accepting ended on {site.path}"
    assert t("nl", "terms.accepted") in flash(site), f"no 'accepted' message: {flash(site)!r}"
    site.check("safety-plan-after-accepting")
    site.open("/terms")
    assert new_nl in site.text("#page-terms"), "/terms does not show the new version"
    site.check("terms-new-version")
    site.open("/")
    assert site.has("#member-home"), f"Dora is asked again after accepting ({site.path})"

    # Evert sends a reply just as the terms change: the text is kept through the acceptance.
    english.fill("body", evert_reply)
    english.click_and_wait("#reply-form-submit")
    parts = urlsplit(english.d.current_url)
    assert parts.path == "/accept-terms", f"a reply sent after the change went to {english.path}"
    assert parse_qs(parts.query).get("next") == [f"{topic_path}/reply"]
    assert t("en", "terms.kept") in flash(english), f"Evert is not told his text is kept: {flash(english)!r}"
    english.d.find_element(By.CSS_SELECTOR, "#policy-terms summary").click()
    assert new_en in english.text("#policy-terms"), "the acceptance page does not show the new text in English"
    english.check("accept-terms-en")
    english.tick("accept_terms")
    english.click_and_wait("#accept-submit")
    assert urlsplit(english.d.current_url).path == f"{topic_path}/reply", f"accepting ended on {english.path}"
    assert english.value("body") == evert_reply, f"the kept reply is not in the form: {english.value('body')!r}"
    english.check("reply-kept-en")
    english.click_and_wait("#reply-form-submit")
    assert urlsplit(english.d.current_url).path == topic_path
    assert evert_reply in english.text("main"), "the kept reply was not posted"
    english.check("topic-reply-posted-en")

    # Fay joins after the change: she accepted this version at sign-up and is not asked again.
    log_out(site)
    register(site, mailbox, base_url, fay)
    log_in(site, fay.email, PASSWORD)
    site.open("/settings")
    assert urlsplit(site.d.current_url).path == "/settings", f"a member who joined after the change is asked again ({site.path})"
    site.check("settings-new-member")
