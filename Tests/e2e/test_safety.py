"""The safety journey in a real browser: crisis words, the alert to the moderators, the privacy
nudge, a post held for a moderator, and the trigger rules.

The first administrator (through the one-time setup link, see conftest.py) makes Mira a
moderator and looks at the trigger rules, with their import and export. Mira starts a shift,
so the alert mail reaches her as well as the moderators' mailbox (scripts/e2e starts the server
with MODERATOR_ALERT_EMAIL=moderators@example.org).

Anna starts a topic with words that point to a crisis: she lands on the support page with the
crisis help (113, 112), and the alert mail arrives in the moderators' mailbox within seconds.
Mira sees the banner on her pages, acknowledges the alert with a note on /mod/alerts, and the
banner goes; no mail follows. Anna's reply with a phone number gets the privacy nudge, keeps the
text and is published when she chooses to. Bram, who uses the site in English, writes about a
plan: his reply is held, Anna sees only a placeholder until Mira releases it. Last, Mira tests
texts against the rules on /mod/triggers.

Every page visited goes through `site.check` (layout, axe-core, HTML saved for the Nu validator).
"""

from __future__ import annotations

import re
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import requests
from selenium.webdriver.common.by import By

from conftest import (PASSWORD, Mailbox, Mail, Site, become_first_admin, log_in_team, make_moderator, open_team_page,
                      person)
from test_accounts import log_in, log_out, register

# scripts/e2e starts the server with MODERATOR_ALERT_EMAIL set to this address.
MODERATORS = "moderators@example.org"
ALERT_SUBJECTS = ("Crisismelding:", "Crisis alert:")
# The alert mail must be in the moderators' mailbox this soon after the post is sent.
ALERT_WITHIN = 5.0
# After acknowledging, nothing more may arrive for this long.
QUIET_FOR = 6.0


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


def alert_mails(mailbox: Mailbox, address: str, about: str | None = None) -> list[Mail]:
    """The crisis alert mails to `address` so far (about one member, when `about` is given)."""
    mails = [m for m in mailbox.messages_to(address) if m.subject.startswith(ALERT_SUBJECTS)]
    if about is not None:
        mails = [m for m in mails if about in m.subject or about in m.text]
    return mails


def wait_for_alert(mailbox: Mailbox, address: str, about: str, since: float, timeout: float) -> tuple[Mail, float]:
    """Waits for the alert mail about `about`; returns it and the seconds since `since`."""
    deadline = since + timeout
    while True:
        found = alert_mails(mailbox, address, about)
        if found:
            return found[-1], time.monotonic() - since
        if time.monotonic() > deadline:
            subjects = [m.subject for m in mailbox.messages_to(address)]
            raise AssertionError(f"no crisis alert mail about {about} reached {address} within {timeout:.0f} s "
                                 f"(mails to it so far: {subjects})")
        time.sleep(0.05)


def support_query(site: Site) -> dict[str, str]:
    """The topic and post numbers of the /support page the author landed on."""
    parts = urlsplit(site.d.current_url)
    assert parts.path == "/support", f"the author was not sent to /support but to {site.path}:\n{site.text('main')}"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert re.fullmatch(r"\d+", query.get("topic", "")) and re.fullmatch(r"\d+", query.get("post", "")), \
        f"/support lacks the topic and post: {site.path}"
    return query


def assert_crisis_help(site: Site) -> None:
    assert site.has("#crisis-help"), f"{site.path} shows no #crisis-help:\n{site.text('main')}"
    help_text = site.text("#crisis-help")
    for number in ("113", "112"):
        assert number in help_text, f"#crisis-help on {site.path} does not mention {number}:\n{help_text}"


def open_alert(site: Site, about: str) -> str:
    """The id of the open alert on /mod/alerts (shown now) about the member `about`."""
    assert site.has("#open-alerts"), f"/mod/alerts lists no open alerts:\n{site.text('main')}"
    items = [li for li in site.d.find_elements(By.CSS_SELECTOR, "#open-alerts > li") if about in li.text]
    assert len(items) == 1, f"{len(items)} open alerts name {about} on /mod/alerts:\n{site.text('#open-alerts')}"
    alert_id = items[0].get_attribute("id").removeprefix("alert-")
    assert re.fullmatch(r"[0-9A-Fa-f-]{36}", alert_id), f"the open alert has the id {items[0].get_attribute('id')!r}"
    return alert_id


def acknowledge(site: Site, alert_id: str, note: str) -> None:
    site.fill(f"note-{alert_id}", note)
    site.click_and_wait(f"#acknowledge-{alert_id}")
    assert urlsplit(site.d.current_url).path == "/mod/alerts", f"acknowledging ended on {site.path}"
    assert not site.has(f"#alert-{alert_id}"), f"the alert is still open after acknowledging:\n{site.text('main')}"


# ------------------------------------------------------------------------------------------
# The journey
# ------------------------------------------------------------------------------------------


def test_safety_crisis_alert_privacy_nudge_held_post_and_trigger_rules(site, new_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    anna, bram, mira = person("Anna"), person("Bram"), person("Mira")
    team = new_site("team")         # the administrator, then the moderator Mira (Dutch)
    english = new_site("en")        # Bram, who uses the site in English
    crisis_text = "Ik zie het niet meer zitten, ik wil er een eind aan maken"
    phone_text = "Bel me op 06-12345678"
    doctor_text = f"Mijn dokter Jansen zegt dat slapen belangrijk is ({tag})."
    held_text = "Ik heb pillen gespaard."
    ack_note = f"Anna een persoonlijk bericht gestuurd en 113 genoemd ({tag})"

    site.switch_language("nl")
    team.switch_language("nl")
    english.switch_language("en")
    for who in (anna, mira):
        register(site, mailbox, base_url, who)
    register(english, mailbox, base_url, bram)

    # 1. The administrator makes Mira a moderator and looks at the rules (import and export).
    admin = become_first_admin(team, base_url)
    make_moderator(team, mira)
    open_team_page(team, admin, "/mod/triggers")
    for css in ("#trigger-test-form", "#trigger-rules", "#trigger-form", "#trigger-import-form", "#export-link"):
        assert team.has(css), f"an administrator does not see {css} on /mod/triggers"
    rows = team.d.find_elements(By.CSS_SELECTOR, "#trigger-rules tbody tr")
    assert len(rows) > 100, f"#trigger-rules lists {len(rows)} rules, not the shipped lexicon"
    assert team.has("#trigger-rules .rule-exception"), "no rule in #trigger-rules shows its exceptions"
    assert team.has("#evaluation-figures"), "the rules page does not show the figures on the evaluation set"
    figures = team.text("#evaluation-figures")
    assert re.search(r"0\.9[7-9]\d|1\.000", figures), f"the evaluation figures show no crisis recall of 0.97 or more:\n{figures}"
    export_href = team.attr("#export-link", "href")
    assert urlsplit(export_href).path == "/admin/triggers/export.csv", f"#export-link goes to {export_href!r}"
    team.check("triggers-admin")
    export = requests.get(team.url(export_href), headers={"Cookie": team.cookies_header()},
                          allow_redirects=False, timeout=30)
    assert export.status_code == 200, f"the rules export answered {export.status_code}"
    assert export.headers.get("Content-Type", "").startswith("text/csv"), \
        f"the rules export is {export.headers.get('Content-Type')!r}, not text/csv"
    csv_lines = export.content.decode("utf-8").splitlines()
    assert csv_lines[0].startswith("pattern,language,kind,actions,exceptions"), f"the export has no header line: {csv_lines[:1]}"
    assert any(",crisis,alert help flag hold," in line for line in csv_lines), "the export lacks a crisis rule that holds the post"
    log_out(team)

    # Mira starts a shift, so the alert reaches her own address too.
    log_in_team(team, mira)
    open_team_page(team, mira, "/mod")
    assert not team.has("#alert-banner"), f"an alert waits before anyone wrote anything:\n{team.text('#alert-banner')}"
    team.click_and_wait("#start-shift-link")
    assert urlsplit(team.d.current_url).path == "/mod/shift", f"the start-shift link went to {team.path}"
    team.tick("kind-ad_hoc")
    team.click_and_wait("#start-shift-submit")
    assert team.has("#acknowledge-form"), f"no handover to acknowledge:\n{team.text('main')}"
    team.click_and_wait("#acknowledge-submit")
    assert urlsplit(team.d.current_url).path == "/mod" and team.has("#end-shift-link"), \
        f"Mira's shift did not start ({team.path}):\n{team.text('main')}"
    team.check("mod-in-shift")

    # 2. Anna starts a topic with crisis words: the support page, and the alert mail at once.
    assert not alert_mails(mailbox, MODERATORS, anna.pseudonym)
    alerts_before = len(alert_mails(mailbox, MODERATORS))
    log_in(site, anna.email, PASSWORD)
    site.open("/c/living-with-depression")
    site.click_and_wait("#new-topic")
    site.fill("title", f"Het gaat niet goed {tag}")
    site.fill("body", crisis_text)
    sent = time.monotonic()
    site.click_and_wait("#topic-form-submit")
    query = support_query(site)
    topic_path = f"/t/{query['topic']}"
    assert query["post"] == "1", f"the opening post is #{query['post']} on {site.path}"
    assert_crisis_help(site)
    assert site.has("#posted-notice") and not site.has("#held-notice"), \
        f"the support page does not say the post is published:\n{site.text('main')}"
    assert urlsplit(site.attr("main a.button[href^='/t/']", "href")).path == topic_path, "no way back to the topic"
    site.check("support")

    mail, waited = wait_for_alert(mailbox, MODERATORS, anna.pseudonym, sent, timeout=ALERT_WITHIN + 10)
    assert waited < ALERT_WITHIN, f"the alert mail took {waited:.1f} s to reach {MODERATORS} (limit {ALERT_WITHIN:.0f} s)"
    assert mail.subject.startswith("Crisismelding:"), f"the alert mail's subject is {mail.subject!r}"
    assert anna.pseudonym in mail.subject, f"the alert subject does not name Anna: {mail.subject!r}"
    assert anna.pseudonym in mail.text and "niet meer zitten" in mail.text, f"the alert mail lacks who or what:\n{mail.text}"
    assert f"{base_url}/mod/alerts" in mail.text, f"the alert mail does not link to /mod/alerts:\n{mail.text}"
    assert f"{base_url}{topic_path}" in mail.text, f"the alert mail does not link to the topic:\n{mail.text}"
    assert len(alert_mails(mailbox, MODERATORS)) == alerts_before + 1, "more than one alert mail for one post"
    wait_for_alert(mailbox, mira.email, anna.pseudonym, time.monotonic(), timeout=10)  # Mira is on shift

    # Anna's topic is there for everyone.
    site.open(topic_path)
    assert crisis_text in site.text("#post-1"), "Anna's opening post is not on the topic page"
    site.check("topic-crisis")

    # 3. Mira sees the banner, acknowledges with a note; the banner goes and no mail follows.
    team.open("/mod")
    assert team.has("#alert-banner"), f"no #alert-banner on /mod while an alert waits:\n{team.text('main')}"
    banner_links = [urlsplit(a.get_attribute("href")).path for a in team.d.find_elements(By.CSS_SELECTOR, "#alert-banner a")]
    assert "/mod/alerts" in banner_links, f"the banner does not link to /mod/alerts: {banner_links}"
    team.check("mod-alert-banner")
    team.click_and_wait("#alert-banner a[href='/mod/alerts']")
    alert_id = open_alert(team, anna.pseudonym)
    assert "niet meer zitten" in team.text(f"#alert-{alert_id}"), "the open alert does not show the words"
    assert team.has("#alert-banner"), "no #alert-banner on /mod/alerts itself"
    assert team.has("#alerts-median")
    team.check("alerts-open")

    # Without a note the alert stays open (the field is required; the server checks it too).
    assert team.attr(f"#note-{alert_id}", "required") is not None, "the note field is not required"
    team.d.execute_script("document.getElementById(arguments[0]).removeAttribute('required')", f"note-{alert_id}")
    team.click_and_wait(f"#acknowledge-{alert_id}")
    assert team.has(f"#alert-{alert_id}"), "an alert was acknowledged without a note"
    assert team.has(".flash-error"), f"acknowledging without a note shows no error:\n{team.text('main')}"
    team.check("alerts-note-missing", dom=True)

    acknowledge(team, alert_id, ack_note)
    assert not team.has("#alert-banner"), f"the banner stays after acknowledging:\n{team.text('#alert-banner')}"
    assert team.has("#alerts-none"), f"#alerts-none is not shown after acknowledging:\n{team.text('main')}"
    done = team.text("#done-alerts")
    assert anna.pseudonym in done and ack_note in done and mira.pseudonym in done, \
        f"#done-alerts does not show the alert, the note and who acknowledged it:\n{done}"
    median = team.text("#alerts-median")
    assert re.search(r"\d", median), f"#alerts-median shows no time to acknowledge: {median!r}"
    team.check("alerts-acknowledged")
    team.open("/mod")
    assert not team.has("#alert-banner"), "the banner is still on /mod after acknowledging"

    mails_to_box = len(alert_mails(mailbox, MODERATORS))
    mails_to_mira = len(alert_mails(mailbox, mira.email))
    time.sleep(QUIET_FOR)
    assert len(alert_mails(mailbox, MODERATORS)) == mails_to_box, \
        f"another alert mail reached {MODERATORS} after the alert was acknowledged: " \
        f"{[m.subject for m in alert_mails(mailbox, MODERATORS)][mails_to_box:]}"
    assert len(alert_mails(mailbox, mira.email)) == mails_to_mira, "another alert mail reached Mira after acknowledging"
    assert len(alert_mails(mailbox, MODERATORS, anna.pseudonym)) == 1, "Anna's alert was mailed more than once"

    # 4. The privacy nudge: first a reply with a phone number, then a topic naming a doctor.
    site.open(topic_path)
    site.fill("body", phone_text)
    site.click_and_wait("#reply-form-submit")
    assert site.has("#privacy-nudge"), f"a phone number in a reply gives no #privacy-nudge ({site.path}):\n{site.text('main')}"
    marks = [m.text for m in site.d.find_elements(By.CSS_SELECTOR, "#privacy-nudge li mark")]
    assert "06-12345678" in marks, f"the nudge does not list the phone number: {marks}"
    assert site.value("body") == phone_text, f"the nudge lost the text: {site.value('body')!r}"
    assert site.has("#reply-form-publish-anyway")
    site.check("privacy-nudge-reply", dom=True)
    site.click_and_wait("#reply-form-publish-anyway")
    assert urlsplit(site.d.current_url).path == topic_path, f"publishing anyway ended on {site.path}:\n{site.text('main')}"
    assert site.has("#post-2") and phone_text in site.text("#post-2"), "the reply with the phone number is not published"
    assert not site.has("#privacy-nudge")
    site.check("topic-after-publish-anyway")

    site.open("/c/living-with-depression")
    site.click_and_wait("#new-topic")
    doctor_title = f"Slaap en de huisarts {tag}"
    site.fill("title", doctor_title)
    site.fill("body", doctor_text)
    site.click_and_wait("#topic-form-submit")
    assert site.has("#privacy-nudge"), f"naming a doctor gives no #privacy-nudge ({site.path}):\n{site.text('main')}"
    marks = [m.text for m in site.d.find_elements(By.CSS_SELECTOR, "#privacy-nudge li mark")]
    assert any("Jansen" in m for m in marks), f"the nudge does not list the doctor's name: {marks}"
    assert site.value("body") == doctor_text and site.value("title") == doctor_title, "the nudge lost what was typed"
    site.check("privacy-nudge-topic", dom=True)
    site.click_and_wait("#topic-form-publish-anyway")
    assert re.fullmatch(r"/t/\d+", urlsplit(site.d.current_url).path), f"publishing the topic anyway ended on {site.path}"
    assert doctor_text in site.text("#post-1")
    site.check("topic-doctor-published")

    # Both wait in the review queue as privacy items.
    team.open("/mod/queue")
    privacy_items = [li.text for li in team.d.find_elements(By.CSS_SELECTOR, "#queue-items li.queue-privacy")]
    assert sum(anna.pseudonym in text for text in privacy_items) >= 2, \
        f"the queue does not hold Anna's two privacy items:\n{team.text('main')}"
    team.check("queue-privacy")

    # 5. Bram (in English) writes about a plan: the reply is held until a moderator releases it.
    log_in(english, bram.email, PASSWORD)
    english.open(topic_path)
    english.fill("body", held_text)
    english.click_and_wait("#reply-form-submit")
    query = support_query(english)
    assert english.html_lang() == "en"
    assert_crisis_help(english)
    assert english.has("#held-notice") and not english.has("#posted-notice"), \
        f"the support page does not say the post waits for a moderator:\n{english.text('main')}"
    english.check("support-held-en")
    held_number = int(query["post"])
    assert held_number == 3, f"Bram's reply is #{held_number}, expected #3"
    english.open(topic_path)
    assert english.has(f"#post-{held_number} .post-placeholder"), "Bram is not told that his own reply waits"
    english.check("topic-own-held-en")
    wait_for_alert(mailbox, MODERATORS, bram.pseudonym, time.monotonic(), timeout=10)

    site.open(topic_path)
    assert site.has(f"#post-{held_number}"), "the held reply leaves no trace on the topic page"
    assert site.has(f"#post-{held_number} .post-placeholder"), "another member sees no placeholder for the held reply"
    assert "pillen" not in site.text("main"), f"another member can read the held reply:\n{site.text(f'#post-{held_number}')}"
    site.check("topic-held-for-others")

    team.open(topic_path)
    href = team.attr(f"#post-{held_number} a.moderate-link", "href")
    m = re.search(r"/mod/posts/(\d+)$", href or "")
    assert m, f"the held reply has no moderate link: {href!r}"
    held_post = f"/mod/posts/{m.group(1)}"
    team.open(held_post)
    assert team.has("#alert-banner"), "no #alert-banner on the moderator's post page while Bram's alert waits"
    assert team.has("#restore-form") and not team.has("#hide-form"), f"the held post offers no release:\n{team.text('main')}"
    heading = team.text("#restore-form h2")
    assert "vrijgeven" in heading.lower(), f"the form's heading does not say release: {heading!r}"
    assert held_text in team.text("main"), "the moderator cannot read the held reply"
    team.check("post-held")
    team.fill("restore-reason", f"Besproken met Bram, geen gevaar nu ({tag})")
    team.click_and_wait("#restore-submit")
    assert urlsplit(team.d.current_url).path == held_post, f"releasing ended on {team.path}"
    assert team.has("#hide-form") and not team.has("#restore-form"), f"the post was not released:\n{team.text('main')}"
    team.check("post-released")

    team.open("/mod/alerts")
    acknowledge(team, open_alert(team, bram.pseudonym), f"Bram gebeld, bericht vrijgegeven ({tag})")
    assert not team.has("#alert-banner"), "the banner stays after acknowledging Bram's alert"

    site.open(topic_path)
    assert not site.has(f"#post-{held_number} .post-placeholder"), "the released reply still shows a placeholder"
    assert held_text in site.text(f"#post-{held_number}"), "another member cannot read the released reply"
    site.check("topic-released")

    # 6. Mira tests texts against the rules (moderators cannot change them).
    team.open("/mod/triggers")
    assert team.has("#trigger-rules") and not team.has("#trigger-form") and not team.has("#trigger-import-form"), \
        "a moderator (not an administrator) gets the forms to change the rules"
    team.check("triggers-moderator")
    team.fill("text", "Ik wil er een eind aan maken")
    team.click_and_wait("#trigger-test-submit")
    assert team.has("#test-hits"), f"the crisis words give no #test-hits:\n{team.text('main')}"
    marks = [m.text.lower() for m in team.d.find_elements(By.CSS_SELECTOR, "#test-hits mark")]
    assert any("eind" in m for m in marks), f"the hits do not mark the words: {marks}"
    assert team.value("text") == "Ik wil er een eind aan maken", "the test form lost the text"
    team.check("triggers-test-hits", dom=True)
    team.fill("text", "Ik was doodmoe na het werk")
    team.click_and_wait("#trigger-test-submit")
    assert team.has("#test-no-hits") and not team.has("#test-hits"), \
        f"an everyday sentence matches a rule:\n{team.text('#test-hits') if team.has('#test-hits') else team.text('main')}"
    team.check("triggers-test-no-hits", dom=True)

    # 7. Crisis wording as members write it: a plan without any alarming word alerts within
    #    seconds; an idiom with "dood" in it raises nothing, and Anna lands on her topic.
    plan_text = "de tabletten liggen al klaar op tafel"
    site.open("/c/living-with-depression")
    site.click_and_wait("#new-topic")
    site.fill("title", f"Vanavond {tag}")
    site.fill("body", plan_text)
    alerts_before = len(alert_mails(mailbox, MODERATORS, anna.pseudonym))
    sent = time.monotonic()
    site.click_and_wait("#topic-form-submit")
    support_query(site)
    deadline = sent + ALERT_WITHIN + 10
    while len(alert_mails(mailbox, MODERATORS, anna.pseudonym)) == alerts_before and time.monotonic() < deadline:
        time.sleep(0.05)
    waited = time.monotonic() - sent
    assert len(alert_mails(mailbox, MODERATORS, anna.pseudonym)) == alerts_before + 1, f"{plan_text!r} raised no alert mail"
    assert waited < ALERT_WITHIN, f"the alert for {plan_text!r} took {waited:.1f} s (limit {ALERT_WITHIN:.0f} s)"
    site.check("support-plan")

    idiom_text = f"Ik schrok me dood van de deurbel vanmorgen ({tag})."
    site.open("/c/living-with-depression")
    site.click_and_wait("#new-topic")
    site.fill("title", f"Deurbel {tag}")
    site.fill("body", idiom_text)
    site.click_and_wait("#topic-form-submit")
    assert re.fullmatch(r"/t/\d+", urlsplit(site.d.current_url).path), f"an idiom sent Anna to {site.path}, not her topic"
    assert idiom_text in site.text("#post-1")
    site.check("topic-idiom")

    # 8. The administrator writes a proximity rule with an exception, sees its effect on the
    #    evaluation set first, saves it, and tests sentences: which rule fired, on which words,
    #    and which exception held it back. In English this time.
    log_out(team)
    team.switch_language("en")
    log_in_team(team, admin)
    open_team_page(team, admin, "/mod/triggers")
    pattern = "(lont*|kaars*) & aansteek* /6"
    team.fill("pattern", pattern)
    team.fill("exceptions", "sentence: (taart|verjaardag*)")
    team.d.find_element(By.CSS_SELECTOR, "#language option[value='nl']").click()
    team.d.find_element(By.CSS_SELECTOR, "#kind option[value='crisis']").click()
    for action in ("alert", "help", "flag"):
        team.tick(f"action-{action}")
    team.fill("note", f"test rule {tag}")
    team.click_and_wait("#trigger-preview")
    assert team.has("#trigger-preview-result"), f"the preview shows no effect:\n{team.text('main')}"
    assert "With this change" in team.text("#trigger-preview-result")
    assert team.value("pattern") == pattern, "the preview lost the pattern"
    team.check("triggers-preview-en", dom=True)
    team.click_and_wait("#trigger-submit")
    assert urlsplit(team.d.current_url).path == "/mod/triggers", f"saving the rule ended on {team.path}"
    assert pattern in {code.text for code in team.d.find_elements(By.CSS_SELECTOR, "#trigger-rules td > code")}, \
        "the new rule is not in the table"
    team.fill("text", "Ik ga straks de lont aansteken.")
    team.click_and_wait("#trigger-test-submit")
    fired = team.text("#test-hits")
    assert pattern in fired and "lont aansteken" in fired, f"the test does not say the new rule fired on the words:\n{fired}"
    team.check("triggers-test-fired-en", dom=True)
    team.fill("text", "Ik mag de kaarsjes aansteken op de taart!")
    team.click_and_wait("#trigger-test-submit")
    assert team.has("#test-cancelled"), f"the exception is not shown as holding the rule back:\n{team.text('main')}"
    assert "sentence: (taart|verjaardag*)" in team.text("#test-cancelled")
    team.check("triggers-test-cancelled-en", dom=True)

