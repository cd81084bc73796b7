"""The research side in a real browser, in Dutch and in English.

The first administrator (in Dutch) sets up a study on /research/studies, imports the demo
questionnaire (Resources/Research/mood-check.json) as a file, sets the standard schedule
(at consent, after 3 days, 3 and 6 months) and gives Rita the researcher role. Anna (in Dutch)
sees the request on her home page, reads the information letter and says yes, with research
emails. `connect research-tick` opens her baseline questionnaire (in the app and by email); she
answers one section, stops with "save and stop for now", resumes from /questionnaires, has a
missing answer pointed out with the rest kept, and finishes on the thank-you page.

Bram (in English) consents without research emails; his safety answer in the first section
shows him the crisis help with the way back to the questionnaire, and the moderators' queue
holds "a questionnaire answer" naming him, never the answer.

`connect research-tick --now <Anna's consent + 3 days>` opens the 3-day wave: both see it in
the app, Anna also by email (Dutch), Bram not by email. Rita (in English) lands on /research,
sees the consent count, the response rate and the style charts with small cells shown as
"< 5", may open no other member page, and downloads the export: no email, pseudonym, post or
free-text answer in it. Anna withdraws on /settings/research; the next export lists one
participant fewer.

The 3-day invitation mail is looked for last (the mail job sends it within a few seconds: the
tick queues it at the server's own time, not at the --now moment).

The smaller journey (marked sqlite: the research job's claiming and date SQL and the export's
paging SQL differ in what each database stores) pastes the questionnaire as JSON, has a member
(in English) consent and receive the baseline invitation by email, answers a section, and
checks the export before and after withdrawing.

The server's clock is never moved here: the 3-day wave is opened with `research-tick --now`,
against the server's database (as test_notifications.py runs `connect send-digests`).

Every page visited goes through `site.check` (layout, axe-core, HTML saved for the Nu validator).
With E2E_SCREENSHOTS=<folder>, the dashboard, the study page, the builder, an answering page and
the thank-you page are also saved there, at 1280 px (desktop) and 390 px (phone).
"""

from __future__ import annotations

import io
import json
import re
import time
import uuid
import zipfile
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import (PASSWORD, REPO, Identity, Site, become_first_admin, fetch_status, give_role, open_team_page, person,
                      run_connect, server_clock_offset)
from test_accounts import log_in, register
from test_notifications import start_topic
from test_safety import assert_crisis_help
from test_zz_messages import shoot

QUESTIONNAIRE = REPO / "Resources" / "Research" / "mood-check.json"
COMMUNITY_ZONE = ZoneInfo("Europe/Amsterdam")  # DateFormatting.communityZone; members' default zone
EXPORT_FILES = {"README.txt", "participants.csv", "responses.csv", "participation_weekly.csv", "codebook.csv"}
UUID_RE = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
# How long the server's mail job (every 2 s) may take to deliver a queued mail.
MAIL_WITHIN = 30.0
# The 3-day wave's mail, queued by `research-tick --now`, is looked for this long at the end.
DAY3_MAIL_WITHIN = 15.0

# Strings from Resources/Locales (nl and en research.json).
INVITE_SUBJECT = {"nl": "Een vragenlijst van het onderzoeksteam", "en": "A questionnaire from the research team"}
PROGRESS = {"nl": "Deel {n} van 3", "en": "Section {n} of 3"}
NOTIFIED = {"nl": "Er wacht een vragenlijst van het onderzoeksteam op je",
            "en": "A questionnaire from the research team is waiting for you"}
QUEUE_ITEM = {"nl": "Een antwoord in een vragenlijst", "en": "A questionnaire answer"}
WITHDRAWN = {"nl": "Je bent gestopt met meedoen.", "en": "You stopped taking part."}
WAVES = {"nl": ["Bij de start", "Na 3 dagen", "Na 3 maanden", "Na 6 maanden"],
         "en": ["At the start", "After 3 days", "After 3 months", "After 6 months"]}


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


def server_now() -> datetime:
    """The server's clock (which a journey elsewhere may have moved forward)."""
    return datetime.now(timezone.utc) + timedelta(seconds=server_clock_offset())


def tick_now() -> datetime:
    """The server's clock for `research-tick --now`, which takes whole seconds: two seconds on,
    so that what the server did in the current second counts as past."""
    return server_now().replace(microsecond=0) + timedelta(seconds=2)


def community_day(days: int = 0) -> str:
    """The date in the community's time zone, `days` from the server's today (YYYY-MM-DD)."""
    return (server_now().astimezone(COMMUNITY_ZONE).date() + timedelta(days=days)).isoformat()


def research_tick(base_url: str, now: datetime) -> dict[str, int]:
    """Runs `connect research-tick --now <now>` against the server's database (see run_connect);
    the server's mail job then delivers what it queued. Returns its counts."""
    moment = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    output = run_connect(base_url, "research-tick", "--now", moment)
    # "Planned 0, opened 2, reminded 0, emailed 1; folded … participation events; …"
    counts = {word.lower(): int(n) for word, n in re.findall(r"\b(Planned|opened|reminded|emailed) (\d+)", output)}
    assert "opened" in counts, f"connect research-tick printed no counts:\n{output}"
    return counts


def create_study(site: Site, name: str, nl: str, en: str, starts: str, ends: str) -> str:
    """Fills in #study-form on /research/studies; returns the new study's id."""
    site.open("/research/studies")
    site.check("studies")
    site.fill("name", name)
    site.fill("description_nl", nl)
    site.fill("description_en", en)
    site.fill("starts", starts)
    site.fill("ends", ends)
    site.click_and_wait("#study-submit")
    assert urlsplit(site.d.current_url).path == "/research/studies", f"saving the study ended on {site.path}:\n{site.text('main')}"
    links = [a for a in site.d.find_elements(By.CSS_SELECTOR, "#studies tbody th a") if a.text.strip() == name]
    assert len(links) == 1, f"the studies table lists {len(links)} studies named {name!r}:\n{site.text('main')}"
    m = re.fullmatch(rf"/research/studies/({UUID_RE})", urlsplit(links[0].get_attribute("href")).path)
    assert m, f"the study's link goes to {links[0].get_attribute('href')!r}"
    site.check("studies-after-save")
    return m.group(1)


def import_questionnaire(site: Site, study_id: str, *, paste: bool) -> str:
    """Imports mood-check.json on the study page (as a file, or pasted into #json); ends on the
    builder and returns the questionnaire's id."""
    site.open(f"/research/studies/{study_id}")
    assert site.has("#no-questionnaires") and site.has("#no-waves"), f"a new study has questionnaires or waves:\n{site.text('main')}"
    assert site.has("#new-questionnaire-form #new-questionnaire-submit")
    site.check("study-new")
    if paste:
        # Pasted: typing 11 kB key by key would only slow the run down.
        compact = json.dumps(json.loads(QUESTIONNAIRE.read_text(encoding="utf-8")), ensure_ascii=False, separators=(",", ":"))
        site.d.execute_script("document.getElementById('json').value = arguments[0]", compact)
    else:
        site.d.find_element(By.ID, "file").send_keys(str(QUESTIONNAIRE))
    site.click_and_wait("#import-submit")
    m = re.fullmatch(rf"/research/questionnaires/({UUID_RE})", urlsplit(site.d.current_url).path)
    assert m, f"importing the questionnaire ended on {site.path}:\n{site.text('main')}"
    return m.group(1)


def set_standard_schedule(site: Site, study_id: str, lang: str) -> None:
    site.open(f"/research/studies/{study_id}")
    assert site.attr("#schedule-details", "open") is not None, "the schedule form is folded away while there is no schedule"
    assert "mood-check" in site.text("#questionnaires"), f"the study lists no mood-check:\n{site.text('#questionnaires')}"
    site.click_and_wait("#schedule-standard")
    assert urlsplit(site.d.current_url).path == f"/research/studies/{study_id}", f"the standard schedule ended on {site.path}"
    waves = [th.text for th in site.d.find_elements(By.CSS_SELECTOR, "#waves tbody th")]
    assert waves == WAVES[lang], f"#waves lists {waves}, not the standard schedule"
    assert site.attr("#schedule-details", "open") is None, "the schedule form stays open once the schedule is set"


def make_researcher(site: Site, who: Identity) -> None:
    """Gives `who` the researcher role on /admin (an administrator is logged in)."""
    give_role(site, who, "researcher")
    site.check("admin-researcher-made")


def consent(site: Site, tag: str, *, emails: bool) -> datetime:
    """From the home page's request to /research/consent, and yes; returns (the server's clock)
    a moment just before the consent was given."""
    site.open("/")
    assert site.has("#research-ask"), f"a member is not asked to take part while a study runs:\n{site.text('main')}"
    assert not site.has("#questionnaires-waiting")
    site.check("home-research-ask")
    site.click_and_wait("#research-ask-link")
    assert urlsplit(site.d.current_url).path == "/research/consent", f"the request led to {site.path}"
    assert site.has("#information-letter"), f"no information letter on /research/consent:\n{site.text('main')}"
    assert tag in site.text("#study-description"), f"the consent page is not about this study:\n{site.text('#study-description')}"
    assert not site.d.find_element(By.ID, "emails").is_selected(), "research emails are ticked before the member chose them"
    yes, not_now = site.attr("#consent-yes", "class"), site.attr("#consent-not-now", "class")
    assert yes == not_now, f"'yes' ({yes!r}) and 'not now' ({not_now!r}) are not equally prominent"
    site.check("consent")
    site.tick("emails", emails)
    before = server_now()
    site.click_and_wait("#consent-yes")
    assert urlsplit(site.d.current_url).path == "/settings/research", f"consenting ended on {site.path}"
    assert site.has(".flash-success") and site.has("#withdraw-form #withdraw-submit"), \
        f"the research settings do not show the consent:\n{site.text('main')}"
    site.check("research-settings-consented")
    return before


def open_invitations(site: Site) -> dict[str, str]:
    """On /questionnaires: the open questionnaires, wave name → invitation id."""
    site.open("/questionnaires")
    found = {}
    for card in site.d.find_elements(By.CSS_SELECTOR, "#open-questionnaires > li"):
        href = card.find_element(By.CSS_SELECTOR, "h2 a").get_attribute("href")
        m = re.fullmatch(rf"/questionnaires/({UUID_RE})", urlsplit(href).path)
        assert m, f"an open questionnaire links to {href!r}"
        wave = card.find_element(By.CSS_SELECTOR, "p.muted").text.split(" · ")[0]
        found[wave] = m.group(1)
    return found


def answer(site: Site, answers: dict[str, object]) -> None:
    """Fills in the section shown: a radio value, a list of ticked options, or text."""
    for code, value in answers.items():
        if isinstance(value, list):
            for option in value:
                site.tick(f"answer-{code}-{option}")
        elif site.has(f"input[type='radio'][name='answer-{code}']"):
            site.tick(f"answer-{code}-{value}")
        elif site.attr(f"#answer-{code}", "type") == "date":
            # A date field's typing depends on the browser's locale; set it as a date picker does.
            site.d.execute_script("document.getElementById(arguments[0]).value = arguments[1]", f"answer-{code}", value)
        else:
            site.fill(f"answer-{code}", str(value))


def assert_section(site: Site, lang: str, number: int) -> None:
    progress = site.text("#questionnaire-progress")
    assert progress == PROGRESS[lang].format(n=number), f"the progress reads {progress!r} on {site.path}"
    hidden = site.d.find_element(By.CSS_SELECTOR, "#answer-form input[name='section']").get_attribute("value")
    assert hidden == str(number), f"the form sends section {hidden!r}, not {number}"


def queue_items(site: Site, pseudonym: str) -> list:
    """The crisis items naming `pseudonym` on /mod/queue, looking page by page (the browser
    stays on the page where they are)."""
    for page in range(1, 11):
        if page > 1:
            site.open(f"/mod/queue?page={page}")
        items = [li for li in site.d.find_elements(By.CSS_SELECTOR, "#queue-items li.queue-crisis") if pseudonym in li.text]
        if items or not site.has(f"nav.pagination a[href='/mod/queue?page={page + 1}']"):
            return items
    return []


def export_link(site: Site, study_id: str) -> str:
    """The study page's #export-link (the study page is shown)."""
    href = site.attr("#export-link", "href")
    assert urlsplit(href).path == f"/research/studies/{study_id}/export.zip", f"#export-link goes to {href!r}"
    assert site.attr("#export-link", "download") is not None, "#export-link is not a download"
    return href


def download_export(site: Site, href: str) -> dict[str, str]:
    """The export (#export-link's address) fetched with the browser's cookies: file name → text."""
    resp = requests.get(site.url(href),
                        headers={"Cookie": site.cookies_header(), "User-Agent": site.user_agent()},
                        allow_redirects=False, timeout=60)
    assert resp.status_code == 200, f"the export answered {resp.status_code}: {resp.text[:300]}"
    assert resp.headers.get("Content-Type", "").startswith("application/zip"), \
        f"the export is {resp.headers.get('Content-Type')!r}, not a ZIP"
    assert "attachment" in resp.headers.get("Content-Disposition", ""), "the export is not sent as a download"
    with zipfile.ZipFile(io.BytesIO(resp.content)) as archive:
        files = {name.rsplit("/", 1)[-1]: archive.read(name).decode("utf-8") for name in archive.namelist() if not name.endswith("/")}
    assert set(files) == EXPORT_FILES, f"the export holds {sorted(files)}, not {sorted(EXPORT_FILES)}"
    return files


def rows(csv_text: str) -> list[str]:
    return [line for line in csv_text.splitlines() if line.strip()]


def assert_nothing_personal(files: dict[str, str], forbidden: list[str]) -> None:
    for name, text in files.items():
        for word in forbidden:
            assert word.lower() not in text.lower(), f"the export's {name} contains {word!r}"
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), f"the export's {name} contains an email address"


# ------------------------------------------------------------------------------------------
# The journey
# ------------------------------------------------------------------------------------------


def test_a_study_from_set_up_to_consent_questionnaires_safety_figures_export_and_withdrawal(site, new_site, mailbox, base_url):
    started = time.monotonic()
    tag = uuid.uuid4().hex[:8]
    anna, bram, rita = person("Anna"), person("Bram"), person("Rita")
    team = site                     # the administrator (Dutch)
    anna_site = new_site("anna")    # Dutch, research emails allowed
    bram_site = new_site("bram")    # English, no research emails
    rita_site = new_site("rita")    # the researcher (English)

    team.switch_language("nl")
    anna_site.switch_language("nl")
    bram_site.switch_language("en")
    rita_site.switch_language("en")
    register(anna_site, mailbox, base_url, anna)
    register(bram_site, mailbox, base_url, bram)
    register(rita_site, mailbox, base_url, rita)

    # 1. The administrator sets up the study: since yesterday, so that a study started later
    #    (the smaller journey below) is the one members are asked for after this one.
    admin = become_first_admin(team, base_url)
    study_name = f"Lotgenoten en veerkracht {tag}"
    study_id = create_study(team, study_name, f"Hoe helpt lotgenotencontact? ({tag})", f"How does peer support help? ({tag})",
                            starts=community_day(-1), ends=community_day(1))

    # The questionnaire, imported as a file, lands in the builder.
    questionnaire_id = import_questionnaire(team, study_id, paste=False)
    assert team.has(".flash-success"), f"no success message after importing:\n{team.text('main')}"
    for css in ("#section-form", "#item-form", "#json-form", "#json-export", "#item-mood_safety .badge"):
        assert team.has(css), f"the builder lacks {css}"
    sections = team.d.find_elements(By.CSS_SELECTOR, "main section.card")
    assert len(sections) == 3, f"the builder shows {len(sections)} sections, not 3"
    assert "mood-check" in team.text("#questionnaire-version")
    team.check("builder")
    shoot(team, "builder-nl")
    json_href = team.attr("#json-export", "href")
    assert urlsplit(json_href).path == f"/research/questionnaires/{questionnaire_id}.json", f"#json-export goes to {json_href!r}"
    exported = requests.get(team.url(json_href),
                            headers={"Cookie": team.cookies_header(), "User-Agent": team.user_agent()}, timeout=30)
    assert exported.status_code == 200, f"the builder's JSON download answered {exported.status_code}"
    definition = exported.json()
    assert definition["code"] == "mood-check" and len(definition["sections"]) == 3, "the JSON download is not the imported questionnaire"
    assert [i["code"] for i in definition["sections"][0]["items"]] == ["mood_low", "mood_interest", "mood_sleep", "mood_safety"]

    # The standard schedule, and Rita becomes a researcher.
    set_standard_schedule(team, study_id, "nl")
    team.check("study-scheduled")
    shoot(team, "study-nl")
    make_researcher(team, rita)

    # 2. Anna (Dutch) consents with research emails; the job opens her baseline at once.
    log_in(anna_site, anna.email, PASSWORD)
    anna_consented = consent(anna_site, tag, emails=True)
    research_tick(base_url, tick_now())
    anna_site.open("/")
    assert anna_site.has("#questionnaires-waiting") and not anna_site.has("#research-ask"), \
        f"Anna's home does not show the waiting questionnaire (or still asks her):\n{anna_site.text('main')}"
    anna_site.check("home-questionnaire-waiting")
    anna_site.click_and_wait("#questionnaires-link")
    assert urlsplit(anna_site.d.current_url).path == "/questionnaires"
    anna_site.check("questionnaires")
    invitations = open_invitations(anna_site)
    assert list(invitations) == [WAVES["nl"][0]], f"Anna's open questionnaires: {invitations}"
    baseline = invitations[WAVES["nl"][0]]
    mail = mailbox.wait_for(anna.email, matching=rf"/questionnaires/{baseline}", timeout=MAIL_WITHIN)
    assert mail.subject == INVITE_SUBJECT["nl"], f"the invitation mail's subject is {mail.subject!r}"

    # The first section, then "save and stop for now".
    anna_site.click_and_wait("#open-questionnaires h2 a")
    assert_section(anna_site, "nl", 1)
    anna_site.check("answer-section-1")
    shoot(anna_site, "answer-nl")
    answer(anna_site, {"mood_low": 1, "mood_interest": 2, "mood_sleep": 7, "mood_safety": 0})
    anna_site.click_and_wait("#answer-later")
    assert urlsplit(anna_site.d.current_url).path == "/questionnaires", f"'save and stop' ended on {anna_site.path}"
    assert anna_site.has(".flash-success"), "no word that the answers are kept"
    anna_site.check("questionnaires-stopped")

    # Resumed from /questionnaires, it goes on at the second section; the first kept its answers.
    anna_site.click_and_wait("#open-questionnaires a.button")
    assert urlsplit(anna_site.d.current_url).path == f"/questionnaires/{baseline}"
    assert_section(anna_site, "nl", 2)
    anna_site.check("answer-section-2")
    anna_site.open(f"/questionnaires/{baseline}?section=1")
    assert anna_site.d.find_element(By.ID, "answer-mood_interest-2").is_selected(), "the saved first section lost its answer"
    assert anna_site.value("answer-mood_sleep") == "7"
    anna_site.open(f"/questionnaires/{baseline}")
    assert_section(anna_site, "nl", 2)

    # A required answer missing: the section comes back with the rest as chosen.
    answer(anna_site, {"emp_understand": 4, "emp_choices": 3, "emp_helps": [2, 5]})
    anna_site.click_and_wait("#answer-next")
    assert anna_site.has("#answer-emp_others-error"), f"a missing required answer is not pointed out:\n{anna_site.text('main')}"
    assert anna_site.d.find_element(By.ID, "answer-emp_understand-4").is_selected(), "the refused section lost a choice"
    assert anna_site.d.find_element(By.ID, "answer-emp_helps-5").is_selected(), "the refused section lost a ticked box"
    assert_section(anna_site, "nl", 2)
    anna_site.check("answer-section-2-refused", dom=True)
    answer(anna_site, {"emp_others": 5})
    anna_site.click_and_wait("#answer-next")
    assert_section(anna_site, "nl", 3)
    anna_site.check("answer-section-3")
    secret_word = f"zonnebloem{tag}"
    answer(anna_site, {"com_visits": 3, "com_started": "2026-01-15", "com_word": secret_word,
                       "com_more": f"Ik lees vooral mee ({tag})."})
    anna_site.click_and_wait("#answer-next")
    assert urlsplit(anna_site.d.current_url).path == f"/questionnaires/{baseline}", f"finishing ended on {anna_site.path}"
    assert anna_site.has("#questionnaire-thanks"), f"no thank-you after the last section:\n{anna_site.text('main')}"
    anna_site.check("questionnaire-thanks")
    shoot(anna_site, "thanks-nl")
    anna_site.open("/")
    assert not anna_site.has("#questionnaires-waiting"), "the finished questionnaire still waits on Anna's home"
    # A topic of Anna's: its words must never reach the export.
    post_word = f"vuurtoren{tag}"
    start_topic(anna_site, f"Een {post_word} in de mist", f"Soms helpt het om te lezen hoe anderen het doen ({post_word}).")

    # 3. Bram (English) consents without research emails; a safety answer shows the crisis help.
    log_in(bram_site, bram.email, PASSWORD)
    consent(bram_site, tag, emails=False)
    research_tick(base_url, tick_now())
    invitations = open_invitations(bram_site)
    assert list(invitations) == [WAVES["en"][0]], f"Bram's open questionnaires: {invitations}"
    bram_baseline = invitations[WAVES["en"][0]]
    bram_site.check("questionnaires-en")
    bram_site.open(f"/questionnaires/{bram_baseline}")
    assert_section(bram_site, "en", 1)
    bram_site.check("answer-section-1-en")
    shoot(bram_site, "answer-en")
    answer(bram_site, {"mood_low": 3, "mood_interest": 3, "mood_safety": 2})
    bram_site.click_and_wait("#answer-next")
    parts = urlsplit(bram_site.d.current_url)
    assert parts.path == "/support" and parse_qs(parts.query).get("questionnaire") == [bram_baseline], \
        f"a safety answer led to {bram_site.path}, not /support?questionnaire={bram_baseline}"
    assert_crisis_help(bram_site)
    back = bram_site.attr("#back-to-questionnaire", "href")
    assert urlsplit(back).path == f"/questionnaires/{bram_baseline}", f"#back-to-questionnaire goes to {back!r}"
    bram_site.check("support-questionnaire-en")
    bram_site.click_and_wait("#back-to-questionnaire")
    assert_section(bram_site, "en", 2)  # the first section was kept

    # The moderators' queue holds the item: Bram, "a questionnaire answer", never the answer.
    open_team_page(team, admin, "/mod/queue")
    items = queue_items(team, bram.pseudonym)
    assert len(items) == 1, f"{len(items)} crisis items name {bram.pseudonym} in the queue:\n{team.text('main')}"
    assert QUEUE_ITEM["nl"] in items[0].text, f"the queue item does not say it is a questionnaire answer:\n{items[0].text}"
    assert not items[0].find_elements(By.CSS_SELECTOR, ".excerpt"), "the queue item shows an excerpt of the answer"
    team.check("mod-queue-questionnaire")

    # 4. Three days after Anna's consent the 3-day wave opens: in the app for both, by email
    #    only for Anna (she allowed research emails). The ISO time as the command takes it.
    due = (anna_consented.astimezone(COMMUNITY_ZONE) + timedelta(days=3)).astimezone(timezone.utc)
    counts = research_tick(base_url, due + timedelta(minutes=10))
    assert counts.get("opened", 0) >= 2, f"research-tick three days on opened {counts} (Anna's and Bram's 3-day waves)"
    invitations = open_invitations(anna_site)
    assert WAVES["nl"][1] in invitations, f"the 3-day wave is not among Anna's open questionnaires: {invitations}"
    day3 = invitations[WAVES["nl"][1]]
    anna_site.check("questionnaires-day3")
    anna_site.open("/notifications")
    told = [li.text for li in anna_site.d.find_elements(By.CSS_SELECTOR, "#notifications li.notification")
            if NOTIFIED["nl"] in li.text]
    assert len(told) >= 2, f"Anna's notifications do not tell of both questionnaires:\n{anna_site.text('main')}"
    anna_site.check("notifications-research")
    bram_site.open("/notifications")
    assert NOTIFIED["en"] in bram_site.text("#notifications"), "Bram is not told in the app of the 3-day wave"
    # (The mail for it is looked for last: see the end of this journey.)

    # 5. Rita, the researcher (English), lands on the figures and sees nothing else.
    log_in(rita_site, rita.email, PASSWORD, expect_path="/research")
    for path in ("/c/living-with-depression", "/notifications", "/questionnaires", "/mod/queue", "/admin"):
        status = fetch_status(rita_site, path)
        assert status == 403, f"a researcher opening {path} got {status}, not 403"
    rita_site.open("/c/living-with-depression")
    rita_site.check("researcher-forbidden")
    rita_site.open(f"/research?study={study_id}")
    assert study_name in rita_site.text("#study-heading")
    assert rita_site.text("#consenting-count") == "< 5", f"#consenting-count shows {rita_site.text('#consenting-count')!r} for 2 members"
    # Two members: every figure is "< 5", so each chart says it is too small and keeps its table.
    for chart in ("chart-responses", "chart-styles", "chart-first"):
        assert (rita_site.has(f"figure.chart#{chart} svg") or rita_site.has(f"figure.chart#{chart} .chart-empty")) \
            and rita_site.has(f"figure.chart#{chart} table.chart-table"), f"the dashboard lacks the chart {chart} with its table"
    response_rows = [r.text for r in rita_site.d.find_elements(By.CSS_SELECTOR, "#chart-responses table tbody tr")]
    assert len(response_rows) == 4 and response_rows[0].startswith(WAVES["en"][0]), f"the response table: {response_rows}"
    assert "< 5" in response_rows[0], f"the baseline's small counts are shown: {response_rows[0]!r}"
    rates = rita_site.text("#response-rates")
    assert f"{WAVES['en'][0]}: < 5" in rates, f"the response rate of 2 members is not suppressed: {rates!r}"
    style_heads = [th.text for th in rita_site.d.find_elements(By.CSS_SELECTOR, "#chart-styles table thead th")]
    assert len(style_heads) == 5, f"the style chart's table has the columns {style_heads}"
    rita_site.check("dashboard-en")
    shoot(rita_site, "dashboard-en")
    rita_site.open(f"/research/studies/{study_id}")
    assert rita_site.text("#waves tbody tr:first-child td:last-child") == "< 5", "the study page shows a small response rate"
    rita_site.check("study-researcher-en")
    shoot(rita_site, "study-en")

    export = export_link(rita_site, study_id)
    files = download_export(rita_site, export)
    participants = rows(files["participants.csv"])
    assert participants[0].startswith("study_id,"), f"participants.csv has no header line: {participants[:1]}"
    assert len(participants) == 3, \
        f"participants.csv lists {len(participants) - 1} members, not Anna and Bram:\n{files['participants.csv']}"
    responses = rows(files["responses.csv"])
    assert any(",baseline,mood-check,1,mood_interest,2," in r for r in responses), \
        f"responses.csv lacks Anna's answer to mood_interest:\n{files['responses.csv']}"
    assert not any(",com_word," in r or ",com_more," in r for r in responses), "free-text answers are in the export"
    assert_nothing_personal(files, [anna.pseudonym, bram.pseudonym, rita.pseudonym, anna.email, bram.email,
                                    secret_word, post_word])

    # 6. Anna stops taking part; the next export no longer lists her.
    anna_site.open("/settings/research")
    anna_site.check("research-settings")
    anna_site.click_and_wait("#withdraw-submit")
    assert urlsplit(anna_site.d.current_url).path == "/settings/research"
    assert anna_site.text("#research-status").startswith(WITHDRAWN["nl"]), \
        f"the settings do not say Anna stopped:\n{anna_site.text('main')}"
    assert not anna_site.has("#withdraw-form")
    anna_site.check("research-settings-withdrawn")
    after = download_export(rita_site, export)
    assert len(rows(after["participants.csv"])) == len(participants) - 1, \
        f"after Anna withdrew, participants.csv still lists:\n{after['participants.csv']}"
    assert not any(",mood_interest,2," in r for r in rows(after["responses.csv"])), "Anna's answers are still exported"

    # 7. The 3-day wave's invitation mail: Anna allowed research emails, Bram did not. Looked
    #    for last, as its wait is the longest part of the journey while the job's mail waits.
    day3_link = rf"{re.escape(base_url)}/questionnaires/{day3}"
    deadline = time.monotonic() + DAY3_MAIL_WITHIN
    while not [m for m in mailbox.messages_to(anna.email) if re.search(day3_link, m.text)] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [m for m in mailbox.messages_to(bram.email) if m.subject in INVITE_SUBJECT.values()], \
        "Bram, who allowed no research emails, got a research email"
    took = time.monotonic() - started
    assert took < 120, f"the research journey took {took:.0f} s (keep it under 2 minutes)"
    found = [m for m in mailbox.messages_to(anna.email) if re.search(day3_link, m.text)]
    assert len(found) == 1 and found[0].subject == INVITE_SUBJECT["nl"], \
        f"the 3-day invitation mails: {[m.subject for m in found]}"


# ------------------------------------------------------------------------------------------
# The smaller journey, on SQLite too
# ------------------------------------------------------------------------------------------


@pytest.mark.sqlite  # the research job's claiming and date SQL, the export's paging SQL
def test_an_invitation_by_email_answers_in_the_export_and_gone_after_withdrawing(site, new_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:8]
    cora = person("Cora")
    member = new_site("cora")  # English, research emails allowed

    # The administrator (English) sets up a study starting today, with the questionnaire pasted.
    site.switch_language("en")
    member.switch_language("en")
    register(member, mailbox, base_url, cora)
    become_first_admin(site, base_url)
    study_id = create_study(site, f"Reading and writing {tag}", f"Lezen en schrijven ({tag})", f"Reading and writing ({tag})",
                            starts=community_day(0), ends=community_day(1))
    import_questionnaire(site, study_id, paste=True)
    site.check("builder-en")
    set_standard_schedule(site, study_id, "en")
    site.check("study-scheduled-en")
    export = export_link(site, study_id)  # an administrator may do research too

    # Cora consents with emails; the job opens the baseline and mails her its link.
    log_in(member, cora.email, PASSWORD)
    consent(member, tag, emails=True)
    counts = research_tick(base_url, tick_now())
    assert counts.get("planned", 0) == 0, f"research-tick planned {counts}: consent should have planned Cora's waves"
    mail = mailbox.wait_for(cora.email, matching=rf"{re.escape(base_url)}/questionnaires/{UUID_RE}", timeout=MAIL_WITHIN)
    assert mail.subject == INVITE_SUBJECT["en"], f"the invitation mail's subject is {mail.subject!r}"
    link = mail.link(rf"{re.escape(base_url)}/questionnaires/{UUID_RE}")
    member.open(link)
    assert_section(member, "en", 1)
    answer(member, {"mood_low": 0, "mood_interest": 1, "mood_safety": 0})
    member.click_and_wait("#answer-next")
    assert_section(member, "en", 2)
    member.check("answer-section-2-en")

    # The export lists Cora and her first section; after she withdraws, neither.
    files = download_export(site, export)
    assert len(rows(files["participants.csv"])) == 2, f"participants.csv:\n{files['participants.csv']}"
    answered = [r.split(",")[4] for r in rows(files["responses.csv"])[1:]]
    assert sorted(answered) == ["mood_interest", "mood_low", "mood_safety"], f"responses.csv holds {answered}"
    assert_nothing_personal(files, [cora.pseudonym, cora.email])
    member.open("/settings/research")
    member.click_and_wait("#withdraw-submit")
    assert member.text("#research-status").startswith(WITHDRAWN["en"]), f"Cora did not stop:\n{member.text('main')}"
    member.check("research-settings-withdrawn-en")
    after = download_export(site, export)
    assert len(rows(after["participants.csv"])) == 1 and len(rows(after["responses.csv"])) == 1, \
        f"after withdrawing, the export still holds Cora:\n{after['participants.csv']}\n{after['responses.csv']}"
