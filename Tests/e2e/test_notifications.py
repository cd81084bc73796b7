"""Notifications in a real browser, in Dutch and in English.

Bram starts a topic and Anna replies to it. Bram sees the quiet count in the header and the
notification on /notifications; opening it leads to Anna's post and marks it read. Replies
come in the daily digest by default (so no mail arrives at once); the test makes the digest due
now by running `connect send-digests --due-now` against the server's database, and the
server's mail job delivers it to the SMTP catcher. The digest carries the RFC 2369/8058
headers (List-Unsubscribe, List-Unsubscribe-Post) and an unsubscribe link that works in a
browser without logging in: one button, and the summary emails stop.

Smaller journeys: a member changes the notification settings (a bad quiet-hours time comes
back with an error and the rest as typed, then a good one is saved); a member takes a break
for a day (banner, no count; a reply in the meantime waits), ends it and lands on "while you
were away"; and a member watches someone else's topic from the topic page and hears of the
next post in it.

Every page visited goes through `site.check` (layout, axe-core, HTML saved for the Nu validator).
"""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import PASSWORD, Identity, Mail, Site, person, run_connect, select
from test_accounts import log_in, register

# The notification sentences and the digest's subject, per language (Resources/Locales).
DIGEST_SUBJECT = {"nl": "Je dagoverzicht van Depression Connect", "en": "Your daily summary from Depression Connect"}
REPLIED = {"nl": "reageerde in je onderwerp", "en": "replied in your topic"}
WATCHED = {"nl": "schreef in", "en": "wrote in"}
TIME_ERROR = {"nl": "Vul een tijd in als 22:00.", "en": "Enter a time such as 22:00."}
# How long the server's mail job (every 2 s) may take to deliver a queued mail.
MAIL_WITHIN = 30.0


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------



def open_follow_menu(site) -> None:
    """The follow control sits in a small menu by the title (a <details>): open it."""
    if not site.d.find_element(By.ID, "watch-level").is_displayed():
        site.d.find_element(By.ID, "follow-menu-button").click()

def join(site: Site, mailbox, base_url: str, who: Identity, lang: str) -> None:
    """A verified member who uses the site in `lang`, logged in on the member home."""
    site.switch_language(lang)
    register(site, mailbox, base_url, who)
    log_in(site, who.email, PASSWORD)


def start_topic(site: Site, title: str, body: str) -> str:
    """Starts a topic in 'Living with depression'; returns its path (/t/…)."""
    site.open("/c/living-with-depression")
    site.check("category")
    site.click_and_wait("#new-topic")
    site.check("new-topic")
    site.fill("title", title)
    site.fill("body", body)
    site.click_and_wait("#topic-form-submit")
    path = urlsplit(site.d.current_url).path
    assert re.fullmatch(r"/t/\d+", path), f"posting the topic ended on {site.path}:\n{site.text('main')}"
    assert title in site.text("#topic-title")
    site.check("topic-after-posting")
    return path


def reply(site: Site, topic_path: str, text: str, number: int) -> None:
    """Replies on the topic page; the reply becomes post `number`."""
    site.open(topic_path)
    site.check("topic-before-reply")
    site.fill("body", text)
    site.click_and_wait("#reply-form-submit")
    assert site.has(f"#post-{number}"), f"the reply is not post #{number} on {site.path}:\n{site.text('main')}"
    site.check("topic-after-reply", dom=True)


def header_count(site: Site) -> int | None:
    """The unread count in the header's Notifications link: None when there is none at all
    (during a break), 0 when it is hidden."""
    found = site.d.find_elements(By.CSS_SELECTOR, "header nav a[href='/notifications'] #notification-count")
    if not found:
        return None
    if found[0].get_attribute("hidden") is not None:
        return 0
    m = re.match(r"\s*(\d+)", found[0].get_attribute("textContent") or "")
    assert m, f"#notification-count holds no number: {found[0].get_attribute('textContent')!r}"
    return int(m.group(1))


def unread_items(site: Site) -> list:
    return site.d.find_elements(By.CSS_SELECTOR, "#notifications li.notification.unread")


def unsubscribe_link(base_url: str) -> str:
    return re.escape(base_url) + r"/unsubscribe/[A-Za-z0-9_\-]{20,}\?what=digest"


def raw_headers(mail: Mail) -> email.message.EmailMessage:
    """The whole message as the SMTP catcher stored it (Mail keeps only its text parts)."""
    return email.message_from_bytes(mail.path.read_bytes(), policy=email.policy.default)


def send_digests_now(base_url: str) -> int | None:
    """Runs `connect send-digests --due-now` against the server's database (see run_connect)."""
    output = run_connect(base_url, "send-digests", "--due-now")
    queued = re.search(r"Queued (\d+) digests", output)  # None if the wording changes
    return int(queued.group(1)) if queued else None


# ------------------------------------------------------------------------------------------
# (a) Reply → header count → /notifications → the post; the digest and its unsubscribe link
# ------------------------------------------------------------------------------------------


@pytest.mark.sqlite  # the digest job: claiming due rows, dates as stored by each database
def test_a_reply_reaches_the_topic_author_in_the_app_and_in_the_daily_digest(site, new_site, mailbox, base_url):
    lang = "nl"
    anna, bram = person("Anna"), person("Bram")
    word = f"vuurtoren{uuid.uuid4().hex[:6]}"
    title = f"Een {word} in de mist"

    # Bram starts a topic.
    join(site, mailbox, base_url, bram, lang)
    assert header_count(site) == 0, "a new member already has unread notifications"
    topic_path = start_topic(site, title, "Soms zie ik het licht niet meer. Hoe houden jullie koers?")

    # Anna replies to it in her own browser.
    anna_site = new_site("anna")
    join(anna_site, mailbox, base_url, anna, lang)
    reply(anna_site, topic_path, "Ik herken dit. Kleine stapjes helpen mij, elke dag een beetje.", 2)

    # Bram sees the quiet count in the header, and the notification on /notifications.
    site.open("/")
    assert header_count(site) == 1, f"the header does not count 1 unread notification: {header_count(site)}"
    site.check("home-with-count")
    site.click_and_wait("header nav a[href='/notifications']")
    assert urlsplit(site.d.current_url).path == "/notifications", f"the header link led to {site.path}"
    assert site.attr("header nav a[href='/notifications']", "aria-current") == "page"
    items = unread_items(site)
    assert len(items) == 1, f"expected 1 unread notification, found {len(items)}:\n{site.text('main')}"
    sentence = items[0].find_element(By.CSS_SELECTOR, "a[href$='/open']").text
    assert anna.pseudonym in sentence and word in sentence and REPLIED[lang] in sentence, \
        f"the notification does not say Anna replied in the topic: {sentence!r}"
    assert site.has("#read-all-form #read-all-submit"), "no 'mark all as read' with an unread notification"
    site.check("notifications-unread")

    # Opening it leads to Anna's post and marks it read.
    site.click_and_wait("#notifications li.unread a[href$='/open']")
    parts = urlsplit(site.d.current_url)
    assert parts.path == topic_path and parts.fragment == "post-2", \
        f"opening the notification led to {site.d.current_url}, not {topic_path}…#post-2"
    assert anna.pseudonym in site.text("#post-2 .post-author")
    assert header_count(site) == 0, "the header still counts the notification after opening it"
    site.check("topic-from-notification")
    site.open("/notifications")
    assert not unread_items(site), "the opened notification is still unread"
    assert len(site.d.find_elements(By.CSS_SELECTOR, "#notifications li.notification")) == 1
    assert not site.has("#read-all-form"), "'mark all as read' is offered with nothing unread"
    site.check("notifications-all-read")

    # Replies go into the daily digest: nothing was mailed at once.
    assert not [m for m in mailbox.messages_to(bram.email) if word in m.text], \
        "a reply was mailed at once, though replies come in the daily digest by default"

    # The digest falls due at 08:00; make it due now. The server's mail job sends it.
    queued = send_digests_now(base_url)
    assert queued != 0, "send-digests --due-now queued no digest, not even Bram's"
    digest = mailbox.wait_for(bram.email, matching=re.escape(word), timeout=MAIL_WITHIN)
    assert digest.subject.startswith(DIGEST_SUBJECT[lang]) and "(1)" in digest.subject, \
        f"unexpected digest subject: {digest.subject!r}"
    assert anna.pseudonym in digest.text and REPLIED[lang] in digest.text, f"the digest lacks the reply:\n{digest.text}"
    assert re.search(re.escape(base_url) + re.escape(topic_path) + r"\?page=1#post-2", digest.text), \
        f"the digest does not link to the post:\n{digest.text}"
    link = digest.link(unsubscribe_link(base_url))
    headers = raw_headers(digest)
    list_unsubscribe = re.sub(r"\s+", "", str(headers.get("List-Unsubscribe", "")))
    assert list_unsubscribe == f"<{link}>", \
        f"List-Unsubscribe is {headers.get('List-Unsubscribe')!r}, expected <{link}>"
    assert str(headers.get("List-Unsubscribe-Post", "")).strip() == "List-Unsubscribe=One-Click", \
        f"List-Unsubscribe-Post is {headers.get('List-Unsubscribe-Post')!r}"
    # Running it again sends nothing more: the notification went out once.
    assert send_digests_now(base_url) in (0, None), "a second send-digests --due-now queued digests again"

    # The unsubscribe link works in a browser without logging in.
    visitor = new_site("visitor")
    visitor.open(link)
    assert visitor.has("#unsubscribe-form #unsubscribe-submit"), f"the unsubscribe link shows no button:\n{visitor.text()}"
    assert not visitor.has("form#logout-form"), "the unsubscribe page shows someone logged in"
    visitor.check("unsubscribe")
    visitor.click_and_wait("#unsubscribe-submit")
    assert visitor.has("#unsubscribed"), f"unsubscribing did not succeed:\n{visitor.text()}"
    visitor.check("unsubscribed", dom=True)

    # Bram's settings say so: what came in the digest now never comes by email.
    site.open("/settings/notifications")
    for channel in ("replies", "mentions", "watching"):
        chosen = Select(site.d.find_element(By.ID, f"email_{channel}")).first_selected_option.get_attribute("value")
        assert chosen == "never", f"after unsubscribing, email_{channel} is {chosen!r}, not 'never'"
    chosen = Select(site.d.find_element(By.ID, "email_moderator")).first_selected_option.get_attribute("value")
    assert chosen == "immediately", f"unsubscribing from the digest changed moderator mail to {chosen!r}"
    site.check("settings-after-unsubscribe")
    digests = [m for m in mailbox.messages_to(bram.email) if m.subject.startswith(DIGEST_SUBJECT[lang])]
    assert len(digests) == 1, f"Bram got {len(digests)} digests, expected 1"


# ------------------------------------------------------------------------------------------
# (b) Notification settings: a bad quiet-hours time comes back as typed, then a good one
# ------------------------------------------------------------------------------------------


def test_notification_settings_reject_a_bad_time_and_keep_what_was_typed(site, mailbox, base_url):
    lang = "en"
    cora = person("Cora")
    join(site, mailbox, base_url, cora, lang)
    site.open("/notifications")
    assert site.has("#no-notifications"), f"a new member has notifications:\n{site.text('main')}"
    site.check("notifications-empty")
    site.click_and_wait("main a[href='/settings/notifications']")
    assert urlsplit(site.d.current_url).path == "/settings/notifications"
    assert site.has("#notify-settings-form")
    site.check("notify-settings")

    # The calm defaults.
    defaults = {"email_replies": "daily", "email_mentions": "daily", "email_reactions": "never",
                "email_moderator": "immediately", "email_watching": "daily"}
    for field, value in defaults.items():
        chosen = Select(site.d.find_element(By.ID, field)).first_selected_option.get_attribute("value")
        assert chosen == value, f"{field} defaults to {chosen!r}, not {value!r}"
    assert not site.d.find_element(By.ID, "quiet_enabled").is_selected(), "quiet hours are on by default"
    assert site.value("daily_budget") == "5"

    # A time of 25:00 (times are typed as hh:mm, so a wrong one can come back as typed).
    select(site, "email_replies", "immediately")
    select(site, "email_reactions", "daily")
    site.tick("quiet_enabled")
    site.fill("quiet_start", "25:00")
    site.fill("quiet_end", "07:30")
    site.fill("daily_budget", "3")
    site.click_and_wait("#notify-settings-submit")
    assert site.has(".form-errors"), f"25:00 was accepted as a time:\n{site.text('main')}"
    assert site.attr("#quiet_start", "aria-invalid") == "true", "the bad time is not marked aria-invalid"
    assert TIME_ERROR[lang] in site.text("#quiet_start-error")
    assert site.attr("#quiet_end", "aria-invalid") != "true", "a good time is marked invalid"
    # What was typed and chosen comes back.
    assert site.value("quiet_start") == "25:00", "the typed time is not kept"
    assert site.value("quiet_end") == "07:30"
    assert site.value("daily_budget") == "3"
    assert site.d.find_element(By.ID, "quiet_enabled").is_selected(), "the quiet-hours box lost its tick"
    for field, value in {"email_replies": "immediately", "email_reactions": "daily"}.items():
        chosen = Select(site.d.find_element(By.ID, field)).first_selected_option.get_attribute("value")
        assert chosen == value, f"{field} came back as {chosen!r}, not the chosen {value!r}"
    site.check("notify-settings-error", dom=True)

    # Nothing was saved yet.
    site.open("/settings/notifications")
    assert site.value("daily_budget") == "5", "a form with an error was saved in part"
    site.check("notify-settings-unchanged")

    # A good time is saved, with the rest.
    select(site, "email_replies", "immediately")
    site.tick("quiet_enabled")
    site.fill("quiet_start", "21:30")
    site.fill("quiet_end", "07:30")
    site.fill("daily_budget", "3")
    site.click_and_wait("#notify-settings-submit")
    assert urlsplit(site.d.current_url).path == "/settings/notifications", f"saving ended on {site.path}"
    assert not site.has(".form-errors"), f"good settings were refused:\n{site.text('main')}"
    assert site.has(".flash-success"), "no confirmation after saving"
    site.check("notify-settings-saved")
    site.open("/settings/notifications")
    assert Select(site.d.find_element(By.ID, "email_replies")).first_selected_option.get_attribute("value") == "immediately"
    assert site.d.find_element(By.ID, "quiet_enabled").is_selected()
    assert site.value("quiet_start") == "21:30" and site.value("quiet_end") == "07:30"
    assert site.value("daily_budget") == "3"
    site.check("notify-settings-reloaded")


# ------------------------------------------------------------------------------------------
# (c) A break for a day: banner, no count; ending it shows "while you were away"
# ------------------------------------------------------------------------------------------


def test_a_break_hides_the_count_and_ends_with_while_you_were_away(site, new_site, mailbox, base_url):
    lang = "nl"
    dana, eva = person("Dana"), person("Eva")
    word = f"wandeling{uuid.uuid4().hex[:6]}"

    join(site, mailbox, base_url, dana, lang)
    topic_path = start_topic(site, f"Een {word} na het werk", "Wandelen helpt mij om mijn hoofd leeg te maken.")

    # Dana takes a break for a day.
    site.open("/settings/break")
    assert site.has("#break-form"), f"no #break-form:\n{site.text('main')}"
    site.check("break-form")
    site.tick("length-day")
    site.click_and_wait("#break-submit")
    assert urlsplit(site.d.current_url).path == "/", f"starting the break ended on {site.path}"
    assert site.has("#break-banner #break-end-banner"), f"no break banner after starting the break:\n{site.text('main')}"
    assert header_count(site) is None, "the header shows a notification count during the break"
    site.check("home-on-break")

    # Eva replies meanwhile: Dana hears nothing, not even a count.
    eva_site = new_site("eva")
    join(eva_site, mailbox, base_url, eva, lang)
    reply(eva_site, topic_path, "Wat fijn dat wandelen je helpt. Ik ga morgen ook een stuk lopen.", 2)
    site.open("/notifications")
    assert site.has("#break-banner"), "the break banner is gone on /notifications"
    assert header_count(site) is None, "the header shows a notification count during the break"
    assert len(unread_items(site)) == 1, f"Eva's reply is not listed for later:\n{site.text('main')}"
    assert not site.has("#notifications .badge"), "a 'new' badge is shown during the break"
    site.check("notifications-on-break")
    site.open("/settings/break")
    assert site.has("#break-status") and site.has("#break-end-form"), "/settings/break does not show the running break"
    site.check("break-running")

    # Dana ends the break from the banner and lands on "while you were away".
    site.click_and_wait("#break-end-banner")
    assert urlsplit(site.d.current_url).path == "/away", f"ending the break led to {site.path}"
    assert site.has("#away-title"), f"no #away-title:\n{site.text('main')}"
    assert not site.has("#break-banner"), "the break banner is still shown after ending the break"
    summary = site.text("#away-summary")
    assert re.search(r"\b1\b", summary), f"the summary does not count Eva's reply: {summary!r}"
    assert site.has(f"main a[href='{topic_path}']"), "the summary does not link to Dana's topic with the new reply"
    # Seen once: the notifications of the break now count as read.
    assert header_count(site) == 0, f"the header still counts {header_count(site)} after 'while you were away'"
    site.check("away", dom=True)  # shown once: fetching it again would redirect

    site.click_and_wait("#away-continue")
    assert urlsplit(site.d.current_url).path == "/", f"continuing led to {site.path}"
    assert site.has("#member-home") and not site.has("#break-banner")
    assert header_count(site) == 0
    site.check("home-after-break")
    site.open("/away")
    assert urlsplit(site.d.current_url).path == "/", "'while you were away' is shown a second time"
    assert not site.has("#away-title")
    site.check("away-again-goes-home")


# ------------------------------------------------------------------------------------------
# (d) Watching a topic from the topic page
# ------------------------------------------------------------------------------------------


def test_watching_a_topic_from_its_page_brings_notifications_of_new_posts(site, new_site, mailbox, base_url):
    lang = "en"
    finn, gus = person("Finn"), person("Gus")
    word = f"garden{uuid.uuid4().hex[:6]}"

    # Finn starts a topic; Gus, who has nothing to do with it, watches it.
    join(site, mailbox, base_url, finn, lang)
    topic_path = start_topic(site, f"A {word} for slow days", "Looking after plants gives my days a little shape.")

    gus_site = new_site("gus")
    join(gus_site, mailbox, base_url, gus, lang)
    gus_site.open(topic_path)
    level = Select(gus_site.d.find_element(By.ID, "watch-level")).first_selected_option.get_attribute("value")
    assert level == "normal", f"the watch level starts as {level!r}, not 'normal'"
    gus_site.check("topic-not-watched")
    open_follow_menu(gus_site)
    select(gus_site, "watch-level", "watching")
    gus_site.click_and_wait("#watch-form #watch-submit")
    assert urlsplit(gus_site.d.current_url).path == topic_path, f"saving the watch level ended on {gus_site.path}"
    assert gus_site.has(".flash-success"), "no confirmation after watching the topic"
    level = Select(gus_site.d.find_element(By.ID, "watch-level")).first_selected_option.get_attribute("value")
    assert level == "watching", f"the watch level is {level!r} after choosing 'watching'"
    gus_site.check("topic-watched")

    # Finn adds a post: Gus, watching, hears of it.
    reply(site, topic_path, "An update: the basil is growing again after a rough week.", 2)
    gus_site.open("/")
    assert header_count(gus_site) == 1, f"the watcher's header counts {header_count(gus_site)}, not 1"
    gus_site.check("home-with-count")
    gus_site.open("/notifications")
    items = unread_items(gus_site)
    assert len(items) == 1, f"expected 1 unread notification, found {len(items)}:\n{gus_site.text('main')}"
    sentence = items[0].find_element(By.CSS_SELECTOR, "a[href$='/open']").text
    assert finn.pseudonym in sentence and word in sentence and WATCHED[lang] in sentence, \
        f"the notification does not say Finn wrote in the watched topic: {sentence!r}"
    gus_site.check("notifications-watching")

    # Marking it read from the list.
    gus_site.click_and_wait("#notifications li.unread form.inline-form button[type='submit']")
    assert urlsplit(gus_site.d.current_url).path == "/notifications"
    assert not unread_items(gus_site) and header_count(gus_site) == 0, "marking read left it unread"
    gus_site.check("notifications-marked-read")

    # Muted: the next post brings nothing.
    gus_site.open(topic_path)
    open_follow_menu(gus_site)
    select(gus_site, "watch-level", "muted")
    gus_site.click_and_wait("#watch-form #watch-submit")
    level = Select(gus_site.d.find_element(By.ID, "watch-level")).first_selected_option.get_attribute("value")
    assert level == "muted"
    gus_site.check("topic-muted")
    reply(site, topic_path, "And the tomatoes are flowering.", 3)
    gus_site.open("/notifications")
    assert not unread_items(gus_site) and header_count(gus_site) == 0, "a muted topic still notifies"
    gus_site.check("notifications-after-mute")
