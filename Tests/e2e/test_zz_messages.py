"""Private messages in a real browser: a conversation of two, the unread count, privacy from a
third member and from the moderators, a report read through the queue, a crisis sentence, and
a block.

Anna (in Dutch) joins and writes her first topic; Mira, a moderator, screens it. Anna may not
start a conversation yet (a member waits three days and for a screened first post): the server's
clock moves three days forward. Anna then writes to Bram (in English): Bram sees the quiet count
in the header, reads, and the count goes; he answers, and Anna sees her count come and go.
Carla, a third member, gets "page not found" at the conversation's address, never sees it in
her list, and her search of her own messages does not find it. The two write on until the
conversation holds more than a dozen messages, and Anna starts a group conversation with Bram
and Carla (so Bram's list holds an unread conversation above a read one).

Anna writes a crisis sentence: she lands on the crisis help, and the moderators' mailbox at
the SMTP catcher has the alert within 5 seconds, with the matched words and none of the other
messages. Bram reports one of Anna's messages; Mira opens it from the queue and sees exactly it
and the ten before it; she cannot open the conversation itself. The administrator finds the
look in the audit log. Last, Bram blocks Anna: her new conversation with him comes back with
an error that does not tell the block (the same as for an unknown name) and her text kept, and
she can no longer write in their conversation.

The clock only moves forward, so this file's name sorts after test_waiting_topics.py (see
there): the three days it adds come after every other journey's.

Every page visited goes through `site.check` (layout, axe-core, HTML saved for the Nu validator).
With E2E_SCREENSHOTS=<folder>, the pages a designer looks at are also saved there as full-page
screenshots, at 1280 px (desktop) and 390 px (phone).
"""

from __future__ import annotations

import base64
import os
import random
import re
import string
import time
from pathlib import Path
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By

from conftest import (PASSWORD, Site, become_first_admin, fetch_status, log_in_team, make_moderator,
                      move_server_clock, open_team_page, person)
from test_accounts import log_in, log_out, register
from test_safety import ALERT_WITHIN, MODERATORS, alert_mails, assert_crisis_help, wait_for_alert
from test_waiting_topics import start_topic

DAY = 86_400
CRISIS = "Ik zie het niet meer zitten, ik wil er een eind aan maken"
# Strings from Resources/Locales (messages.json, nl and en).
NAV = {"nl": "Berichten", "en": "Messages"}
NOT_FOUND = {"nl": "Pagina niet gevonden", "en": "Page not found"}
UNREACHABLE = "Een van deze leden bestaat niet, of ontvangt geen nieuwe gesprekken van jou."
SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


def message_count(site: Site) -> int:
    """The unread count beside "Messages" in the header (0 when there is none)."""
    found = site.d.find_elements(By.CSS_SELECTOR, "header nav a[href='/messages'] #message-count")
    if not found:
        return 0
    m = re.match(r"\s*(\d+)", found[0].get_attribute("textContent") or "")
    assert m, f"#message-count holds no number: {found[0].get_attribute('textContent')!r}"
    return int(m.group(1))


def nav_label(site: Site) -> str:
    return (site.d.find_element(By.CSS_SELECTOR, "header nav a[href='/messages']").get_attribute("textContent") or "").strip()


def conversation_id(site: Site) -> int:
    m = re.fullmatch(r"/messages/(\d+)", urlsplit(site.d.current_url).path)
    assert m, f"expected a conversation page, the browser is on {site.path}:\n{site.text('main')}"
    return int(m.group(1))


def message_ids(site: Site) -> list[int]:
    """The ids of the messages shown (#messages > li#message-<id>), in page order."""
    return [int(li.get_attribute("id").removeprefix("message-"))
            for li in site.d.find_elements(By.CSS_SELECTOR, "#messages > li")]


def listed(site: Site) -> list[int]:
    """The conversations on /messages (shown now), in list order."""
    return [int(li.get_attribute("id").removeprefix("conversation-"))
            for li in site.d.find_elements(By.CSS_SELECTOR, "#conversations > li")]


def send(site: Site, text: str) -> None:
    """Writes in the conversation shown now; ends on the conversation, at the new message."""
    path = urlsplit(site.d.current_url).path
    site.fill("body", text)
    site.click_and_wait("#message-form-submit")
    assert urlsplit(site.d.current_url).path == path, f"sending ended on {site.path}:\n{site.text('main')}"
    assert text in site.text("#messages > li:last-child"), f"the message is not the last one shown:\n{site.text('#messages')}"


def find_report_item(site: Site, author: str) -> str:
    """The id of the open queue item for a reported message by `author` (looks page by page)."""
    for page in range(1, 11):
        site.open(f"/mod/queue?page={page}")
        items = [li for li in site.d.find_elements(By.CSS_SELECTOR, "li.queue-message_report") if author in li.text]
        if items:
            assert len(items) == 1, f"{len(items)} reported messages by {author} in the queue"
            return items[0].get_attribute("id").removeprefix("item-")
        if not site.d.find_elements(By.CSS_SELECTOR, f"nav.pagination a[href='/mod/queue?page={page + 1}']"):
            break
    raise AssertionError(f"no reported message by {author} in the queue:\n{site.text('main')}")


def shoot(site: Site, name: str) -> None:
    """With E2E_SCREENSHOTS set: full-page screenshots of the page shown now, desktop and phone."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for label, width, mobile in (("desktop", 1280, False), ("phone", 390, True)):
        site.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile})
        try:
            height = site.d.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
            shot = site.d.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
            (folder / f"{name}-{label}.png").write_bytes(base64.b64decode(shot["data"]))
        finally:
            site.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# ------------------------------------------------------------------------------------------
# The journey
# ------------------------------------------------------------------------------------------


def test_private_messages_between_two_unread_count_privacy_report_crisis_and_block(site, new_site, mailbox, base_url):
    started = time.monotonic()
    # Letters only: a run of digits in a message could look like a phone number to the nudge.
    tag = "".join(random.choices(string.ascii_lowercase, k=8))
    anna, bram, carla, mira = person("Anna"), person("Bram"), person("Carla"), person("Mira")
    bram_site = new_site("bram")    # English
    carla_site = new_site("carla")  # Dutch
    team = new_site("team")         # the administrator, then Mira (Dutch)

    site.switch_language("nl")
    bram_site.switch_language("en")
    carla_site.switch_language("nl")
    team.switch_language("nl")
    register(site, mailbox, base_url, anna)
    register(bram_site, mailbox, base_url, bram)
    register(carla_site, mailbox, base_url, carla)
    register(team, mailbox, base_url, mira)

    # The administrator makes Mira a moderator; she signs in with two-factor and stays signed in.
    become_first_admin(team, base_url)
    make_moderator(team, mira)
    log_out(team)
    log_in_team(team, mira)
    open_team_page(team, mira, "/mod/queue")

    # 1. Anna may not start a conversation yet: not before her first post is screened and she
    # has been a member for three days.
    log_in(site, anna.email, PASSWORD)
    assert nav_label(site).startswith(NAV["nl"]), f"the header's link to /messages reads {nav_label(site)!r}"
    site.open(f"/messages/new?to={bram.pseudonym}")
    assert site.has("#not-yet") and not site.has("#conversation-form"), \
        f"a member of a minute may start a conversation:\n{site.text('main')}"
    assert fetch_status(site, "/messages/new") == 403
    site.check("new-conversation-not-yet")
    start_topic(site, f"Hallo allemaal {tag}", "Ik ben nieuw hier en lees vooral mee.")
    team.open("/mod/screening")
    for _ in range(50):
        if not team.has("#screen-submit"):
            break
        team.click_and_wait("#screen-submit")
    assert team.has("#screening-empty"), f"posts still wait after screening every page:\n{team.text('main')}"
    team.check("screening-empty")
    site.open("/messages/new")
    assert site.has("#not-yet"), "a member whose post was screened a minute after joining may start a conversation"

    move_server_clock(3 * DAY + 600)

    # 2. Anna writes to Bram.
    site.open("/messages")
    assert site.has("#no-conversations"), f"Anna's list is not empty:\n{site.text('main')}"
    site.check("messages-empty")
    site.click_and_wait("#new-conversation")
    assert urlsplit(site.d.current_url).path == "/messages/new" and site.has("#conversation-form"), \
        f"three days after joining, with a screened first post, Anna gets no form:\n{site.text('main')}"
    site.check("new-conversation")
    site.fill("to", bram.pseudonym)
    texts = [f"Hoi Bram, hoe gaat het met je deze week? ({tag} bericht 1)"]
    site.fill("body", texts[0])
    site.click_and_wait("#conversation-form-submit")
    pair = conversation_id(site)
    assert site.has(".flash-success"), f"no word that the message was sent:\n{site.text('main')}"
    assert site.has("#messages > li.message.own"), "Anna's own message is not marked as hers"
    assert message_count(site) == 0, "the writer counts her own message as unread"
    site.check("conversation-started", dom=True)

    # Bram (English) sees the quiet count, opens the conversation, and the count goes.
    log_in(bram_site, bram.email, PASSWORD)
    assert nav_label(bram_site).startswith(NAV["en"]), f"the header's link to /messages reads {nav_label(bram_site)!r}"
    assert message_count(bram_site) == 1, f"Bram's header counts {message_count(bram_site)} unread conversations"
    bram_site.check("home-with-message-count")
    bram_site.click_and_wait("header nav a[href='/messages']")
    assert listed(bram_site) == [pair], f"Bram's list shows {listed(bram_site)}"
    assert "unread" in bram_site.attr(f"#conversation-{pair}", "class"), "the new conversation is not marked unread"
    assert anna.pseudonym in bram_site.text(f"#conversation-{pair}")
    bram_site.check("messages-unread")
    bram_site.click_and_wait(f"#conversation-{pair} a.topic-title")
    assert texts[0] in bram_site.text("#messages"), "Bram does not read Anna's message"
    assert message_count(bram_site) == 0, "the count stays after Bram read the conversation"
    assert bram_site.has("#messages a.report-link"), "Bram has no way to report Anna's message"
    bram_site.check("conversation-read")
    bram_site.open("/messages")
    assert "unread" not in bram_site.attr(f"#conversation-{pair}", "class"), "the read conversation is still unread"

    # He answers (a member may always answer); Anna's count comes and goes.
    bram_site.open(f"/messages/{pair}")
    texts.append(f"Hi Anna, thank you for asking. It was a grey week ({tag} message 2).")
    send(bram_site, texts[1])
    bram_site.check("conversation-answered", dom=True)
    site.open("/")
    assert message_count(site) == 1, f"Anna's header counts {message_count(site)} after Bram's answer"
    site.check("home-anna-with-count")
    site.open(f"/messages/{pair}")
    assert texts[1] in site.text("#messages")
    assert message_count(site) == 0, "Anna's count stays after reading"

    # 3. Carla, a third member, cannot find it anywhere.
    log_in(carla_site, carla.email, PASSWORD)
    assert fetch_status(carla_site, f"/messages/{pair}") == 404
    carla_site.open(f"/messages/{pair}")
    assert carla_site.has('#error-page[data-status="404"]') and carla_site.text("h1") == NOT_FOUND["nl"], \
        f"Carla is not told 'not found':\n{carla_site.text('main')}"
    assert tag not in carla_site.text("body")
    carla_site.check("conversation-not-found")
    carla_site.open("/messages")
    assert pair not in listed(carla_site) and carla_site.has("#no-conversations"), f"Carla's list: {listed(carla_site)}"
    carla_site.open(f"/messages?q={tag}")
    assert carla_site.has("#message-hits") and tag not in carla_site.text("#message-hits"), \
        f"Carla's search finds the conversation:\n{carla_site.text('#message-hits')}"
    carla_site.check("messages-search-nothing")

    # 4. They write on: fourteen messages in all, every other one Anna's.
    for n in range(3, 15):
        who = site if n % 2 else bram_site
        text = (f"Vandaag een klein stukje gewandeld, dat hielp wel ({tag} bericht {n})." if n % 2
                else f"Good to hear. I managed to cook a proper meal today ({tag} message {n}).")
        who.open(f"/messages/{pair}")
        send(who, text)
        texts.append(text)
    bram_site.open(f"/messages/{pair}")
    ids = message_ids(bram_site)
    assert len(ids) == 14 and not bram_site.has("#older-messages"), f"the conversation shows {len(ids)} messages"
    shown = [bram_site.text(f"#message-{i} .prose") for i in ids]
    assert shown == texts, f"the messages are not in the order written:\n{shown}"
    own = [i for i in ids if "own" in bram_site.attr(f"#message-{i}", "class").split()]
    assert own == ids[1::2], "Bram's own messages are not the ones marked own"
    bram_site.check("conversation-fourteen")
    shoot(bram_site, "conversation")
    # His search of his own messages finds them.
    bram_site.open(f"/messages?q={tag} message 14")
    assert f"({tag} message 14)" in bram_site.text("#message-hits"), f"Bram's search:\n{bram_site.text('#message-hits')}"
    bram_site.check("messages-search")

    # Anna starts a group with Bram and Carla: Bram's list has the unread group above the pair.
    site.open(f"/messages/new?to={bram.pseudonym}, {carla.pseudonym}")
    assert site.value("to") == f"{bram.pseudonym}, {carla.pseudonym}"
    site.fill("body", f"Zullen we samen een wandelclubje beginnen? ({tag} groep)")
    site.click_and_wait("#conversation-form-submit")
    group = conversation_id(site)
    assert group != pair
    bram_site.open("/messages")
    assert listed(bram_site)[:2] == [group, pair], f"Bram's list is not unread first: {listed(bram_site)}"
    assert "unread" in bram_site.attr(f"#conversation-{group}", "class")
    assert "unread" not in bram_site.attr(f"#conversation-{pair}", "class")
    assert message_count(bram_site) == 1
    bram_site.check("messages-unread-and-read")
    shoot(bram_site, "messages-list")
    carla_site.open("/messages")
    assert listed(carla_site) == [group], f"Carla's list shows {listed(carla_site)}, not only the group"
    carla_site.check("messages-carla")

    # 5. A crisis sentence: Anna sees the crisis help; the moderators' mailbox has the alert
    # within 5 s, with the matched words and nothing else of the conversation.
    alerts_before = len(alert_mails(mailbox, MODERATORS))
    site.open(f"/messages/{pair}")
    site.fill("body", CRISIS)
    sent = time.monotonic()
    site.click_and_wait("#message-form-submit")
    assert urlsplit(site.d.current_url).path == "/support", f"the crisis sentence ended on {site.path}:\n{site.text('main')}"
    assert_crisis_help(site)
    # The support page speaks of a message, not a post, and leads back to the conversation.
    assert "Alleen de mensen in het gesprek lezen het." in site.text("#posted-notice"), site.text("main")
    assert "niet je gesprek" in site.text("#crisis-help"), site.text("#crisis-help")
    assert site.has(f"a[href='/messages/{pair}']"), "no way back to the conversation"
    site.check("support-after-message")
    mail, waited = wait_for_alert(mailbox, MODERATORS, anna.pseudonym, sent, timeout=ALERT_WITHIN + 10)
    assert waited < ALERT_WITHIN, f"the alert mail took {waited:.1f} s to reach {MODERATORS} (limit {ALERT_WITHIN:.0f} s)"
    assert len(alert_mails(mailbox, MODERATORS)) == alerts_before + 1, "more than one alert mail for one message"
    assert mail.subject.startswith("Crisismelding:") and anna.pseudonym in mail.subject, f"the alert's subject: {mail.subject!r}"
    body = mail.text + (mail.html or "")
    assert "privébericht" in body, f"the alert does not say it came from a private message:\n{mail.text}"
    assert re.search(r"niet meer zitten|eind aan maken", body), f"the alert lacks the matched words:\n{mail.text}"
    assert tag not in body and "/messages/" not in body, f"the alert mail shows the conversation:\n{mail.text}"
    for text in texts:
        assert text not in body, f"the alert mail holds another message of the conversation: {text!r}"
    bram_site.open(f"/messages/{pair}")
    assert CRISIS in bram_site.text("#messages > li:last-child"), "the crisis sentence was not sent to Bram"

    # 6. Bram reports Anna's 13th message; Mira sees it and the ten before it, nothing more.
    ids = message_ids(bram_site)
    assert len(ids) == 15
    reported = ids[12]
    assert texts[12] in bram_site.text(f"#message-{reported}")
    bram_site.click_and_wait(f"#message-{reported} a.report-link")
    assert urlsplit(bram_site.d.current_url).path == f"/messages/report/{reported}"
    assert texts[12] in bram_site.text("main")
    bram_site.check("report-message")
    bram_site.tick("reason-disrespectful")
    bram_site.fill("note", f"This one hurt a little ({tag} note).")
    bram_site.click_and_wait("#report-submit")
    assert urlsplit(bram_site.d.current_url).path == f"/messages/{pair}" and bram_site.has(".flash-success"), \
        f"reporting ended on {bram_site.path}:\n{bram_site.text('main')}"
    bram_site.check("conversation-reported", dom=True)

    item = find_report_item(team, anna.pseudonym)
    team.check("queue-message-report")
    team.click_and_wait(f"#read-message-{item}")
    assert urlsplit(team.d.current_url).path == f"/mod/messages/reports/{item}", f"the queue's button went to {team.path}"
    seen = message_ids(team)
    assert seen == ids[2:13], f"the moderator sees messages {seen}, not the reported {reported} and the ten before it {ids[2:13]}"
    assert team.attr(f"#message-{reported}", "class").split()[-1] == "reported" and len(team.d.find_elements(
        By.CSS_SELECTOR, "#messages li.reported")) == 1, "the reported message is not the one marked"
    main = team.text("main")
    for n, text in enumerate(texts, start=1):
        assert (text in main) == (3 <= n <= 13), f"message {n} is {'missing' if 3 <= n <= 13 else 'shown'}: {text!r}"
    assert CRISIS not in main, "the moderator sees the message after the reported one"
    assert team.has("#look-recorded") and f"({tag} note)" in team.text("#report-reasons")
    assert "mod.queue" not in team.text("nav.breadcrumb"), "an untranslated breadcrumb"
    team.check("mod-message-report")
    shoot(team, "mod-reported-message")
    assert fetch_status(team, f"/messages/{pair}") == 404, "a moderator opens a conversation they are not in"
    assert fetch_status(team, f"/messages/{group}") == 404

    # The administrator finds the look in the audit log.
    log_out(team)
    admin = become_first_admin(team, base_url)
    open_team_page(team, admin, "/admin/audit")
    team.fill("action", "message.report")
    team.click_and_wait("#audit-filter-submit")
    rows = [row.text for row in team.d.find_elements(By.CSS_SELECTOR, "#audit-entries tbody tr")
            if f"message:{reported}" in row.text]
    assert rows and "message.report.view" in rows[0] and mira.pseudonym in rows[0], \
        f"the audit log has no look at message {reported} by {mira.pseudonym}:\n{team.text('main')}"
    team.check("audit-message-report")

    # 7. Bram blocks Anna from the conversation; she is not told.
    bram_site.open(f"/messages/{pair}")
    blocks = bram_site.d.find_elements(By.CSS_SELECTOR, "#conversation-choices .block-submit")
    assert len(blocks) == 1 and anna.pseudonym in blocks[0].text, "no single button to block Anna"
    bram_site.click_and_wait("#conversation-choices .block-submit")
    assert urlsplit(bram_site.d.current_url).path == "/settings/messages", f"blocking ended on {bram_site.path}"
    assert bram_site.has(".flash-success") and anna.pseudonym in bram_site.text("#blocked-members")
    bram_site.check("message-settings-blocked", dom=True)
    bram_site.open("/settings/messages")
    shoot(bram_site, "message-settings")

    # Anna cannot start a new conversation with him: the same error as for an unknown name,
    # with her text kept.
    kept = f"Ben je boos op me? Ik hoor graag van je ({tag} nieuw)."
    site.open(f"/messages/new?to={bram.pseudonym}")
    site.fill("body", kept)
    assert fetch_status(site, "/messages/new", "#conversation-form") == 422
    site.click_and_wait("#conversation-form-submit")
    assert urlsplit(site.d.current_url).path == "/messages/new" and site.has("#form-errors"), \
        f"a blocked member's new conversation was not refused:\n{site.text('main')}"
    error = site.text("#to-error")
    assert error == UNREACHABLE, f"the error reads {error!r}"
    assert site.value("body") == kept and site.value("to") == bram.pseudonym, "the form lost what Anna typed"
    assert site.attr("#to", "aria-invalid") == "true"
    site.check("new-conversation-refused", dom=True)
    shoot(site, "new-conversation-error")
    site.fill("to", f"Niemand{tag}")
    site.click_and_wait("#conversation-form-submit")
    assert site.text("#to-error") == error, "an unknown name gets another error than a member who blocked you"
    # And she cannot write in their conversation any more.
    site.open(f"/messages/{pair}")
    assert site.has("#cannot-write") and not site.has("#message-form"), \
        f"Anna can still write to Bram after he blocked her:\n{site.text('main')}"
    site.check("conversation-blocked")
    shoot(site, "conversation-blocked")
    site.open("/messages")
    assert pair in listed(site), "the conversation left Anna's list when Bram blocked her"

    took = time.monotonic() - started
    assert took < 120, f"the journey took {took:.0f} s (limit 120 s)"
