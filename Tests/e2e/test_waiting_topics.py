"""No post left alone, in a real browser: a topic nobody answers waits for a response.

Anna (in Dutch) starts her first topic and, straight after, a second one. Bram (in English)
chooses in his notification settings to be shown posts that are still waiting for a reply, and
answers Anna's first topic. The server's clock then moves forward: after 6 hours Anna's second
topic does not wait yet (a member's first topic waits 6 hours, any other 12); after 12 hours it
is in the moderators' queue and on their dashboard (Mira, in Dutch), and on Bram's home page.
Bram opens it from there and replies; it leaves the queue, the dashboard and his home page.

The clock moves through the file that scripts/e2e gives the server (CLOCK_OFFSET_FILE, a
test-only setting). It only moves forward, so this file's name sorts after the other journeys:
the hours it adds do not fall in the middle of theirs.

Every page visited goes through `site.check` (layout, axe-core, HTML saved for the Nu validator).
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By

from conftest import (PASSWORD, become_first_admin, log_in_team, make_moderator, move_server_clock,
                      open_team_page, person)
from test_accounts import log_in, log_out, register

HOUR = 3600


def waiting_on_queue(site) -> list[int]:
    return [int(li.get_attribute("id").removeprefix("waiting-topic-"))
            for li in site.d.find_elements(By.CSS_SELECTOR, "#waiting-topics > li")]


def waiting_on_home(site) -> list[int]:
    return [int(li.get_attribute("id").removeprefix("waiting-for-reply-"))
            for li in site.d.find_elements(By.CSS_SELECTOR, "#waiting-for-reply-list > li")]


def start_topic(site, title: str, body: str) -> int:
    site.open("/c/living-with-depression")
    site.click_and_wait("#new-topic")
    site.fill("title", title)
    site.fill("body", body)
    site.click_and_wait("#topic-form-submit")
    path = urlsplit(site.d.current_url).path
    assert re.fullmatch(r"/t/\d+", path), f"posting the topic ended on {site.path}:\n{site.text('main')}"
    return int(path.removeprefix("/t/"))


def test_a_topic_without_reply_waits_in_the_queue_and_on_a_responders_home_until_someone_replies(site, new_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    anna, bram, mira = person("Anna"), person("Bram"), person("Mira")
    bram_site = new_site("bram")
    mod_site = new_site("mira")

    site.switch_language("nl")
    bram_site.switch_language("en")
    mod_site.switch_language("nl")
    register(site, mailbox, base_url, anna)
    register(bram_site, mailbox, base_url, bram)
    register(mod_site, mailbox, base_url, mira)

    # The first administrator makes Mira a moderator; she signs in (two-factor) while the clock
    # is still real, and stays signed in.
    become_first_admin(site, base_url)
    make_moderator(site, mira)
    log_out(site)
    log_in_team(mod_site, mira)
    open_team_page(mod_site, mira, "/mod/queue")

    # Bram chooses to be shown posts that wait for a reply (off by default).
    log_in(bram_site, bram.email, PASSWORD)
    bram_site.open("/settings/notifications")
    assert not bram_site.d.find_element(By.ID, "responder").is_selected(), "being shown waiting posts is on by default"
    label = bram_site.text("label[for='responder']")
    assert label == "I would like to be shown posts that are still waiting for a reply", f"the choice reads {label!r}"
    bram_site.check("notify-settings-responder-off")
    bram_site.tick("responder")
    bram_site.click_and_wait("#notify-settings-submit")
    assert bram_site.has(".flash-success") and bram_site.d.find_element(By.ID, "responder").is_selected()
    bram_site.check("notify-settings-responder-on")

    # Anna's first topic, and a second one; Bram answers the first.
    log_in(site, anna.email, PASSWORD)
    first = start_topic(site, f"Eerste keer hier {tag}", "Ik weet niet goed waar ik moet beginnen.")
    second = start_topic(site, f"Slapen lukt niet {tag}", "Ik lig elke nacht wakker. Herkent iemand dit?")
    site.check("second-topic")
    bram_site.open(f"/t/{first}")
    bram_site.fill("body", "Welcome, Anna. Starting is the hardest part.")
    bram_site.click_and_wait("#reply-form-submit")
    assert bram_site.has("#post-2"), "Bram's reply is not on the topic page"

    mod_site.open("/mod/queue")
    assert second not in waiting_on_queue(mod_site) and first not in waiting_on_queue(mod_site)
    mod_site.check("queue-nothing-waits-yet")

    # Six hours on: the second topic is not Anna's first, so it does not wait yet.
    move_server_clock(6 * HOUR + 300)
    mod_site.open("/mod/queue")
    assert second not in waiting_on_queue(mod_site), "a member's second topic waits after 6 hours instead of 12"

    # Twelve hours on: it waits, in the queue and on the dashboard, and on Bram's home page.
    move_server_clock(6 * HOUR)
    mod_site.open("/mod/queue")
    assert second in waiting_on_queue(mod_site), f"after 12 hours the topic is not in the queue:\n{mod_site.text('main')}"
    assert first not in waiting_on_queue(mod_site), "an answered topic is in the queue"
    item = mod_site.text(f"#waiting-topic-{second}")
    assert anna.pseudonym in item and "wacht al 12 u" in item, f"the queue item reads:\n{item}"
    assert mod_site.has(f"#waiting-reply-{second}")
    mod_site.check("queue-waiting")
    # The dashboard counts it (its list shows the oldest few, which may be earlier journeys').
    mod_site.open("/mod")
    waiting_now = int(re.match(r"\d+", mod_site.text("#figure-waiting")).group(0))
    assert waiting_now >= 1 and mod_site.has("#dashboard-waiting > li"), f"the dashboard shows nothing waiting:\n{mod_site.text('main')}"
    assert re.match(r"\d+ u \d+ min|\d+ min", mod_site.text("#figure-first-response")), "no median time to a first response"
    mod_site.check("dashboard-waiting")

    # A responder sees the topics that began to wait last: Anna's comes first.
    bram_site.open("/")
    home = waiting_on_home(bram_site)
    assert home and home[0] == second, f"Bram's home does not lead with the waiting topic ({home}):\n{bram_site.text('main')}"
    assert len(home) <= 3, f"a responder is shown {len(home)} waiting topics"
    assert "waiting for 12 hours" in bram_site.text(f"#waiting-for-reply-{second}")
    bram_site.check("home-waiting-for-reply")
    site.open("/")
    assert not site.has("#waiting-for-reply"), "Anna, who did not choose it, is shown waiting topics"

    # Bram replies from his home page; the topic leaves every list.
    bram_site.click_and_wait(f"#waiting-for-reply-{second} a")
    assert urlsplit(bram_site.d.current_url).path == f"/t/{second}"
    bram_site.fill("body", "I know those nights. What helps me a little is getting up for a while.")
    bram_site.click_and_wait("#reply-form-submit")
    assert bram_site.has("#post-2")
    bram_site.check("topic-answered")
    bram_site.open("/")
    assert second not in waiting_on_home(bram_site), "the answered topic is still on Bram's home"
    mod_site.open("/mod/queue")
    assert second not in waiting_on_queue(mod_site), "the answered topic is still in the queue"
    mod_site.check("queue-after-reply")
    mod_site.open("/mod")
    assert int(re.match(r"\d+", mod_site.text("#figure-waiting")).group(0)) == waiting_now - 1
    mod_site.check("dashboard-after-reply")
