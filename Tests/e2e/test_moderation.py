"""The moderation journey in a real browser: the team's shifts, screening and actions, and what
members see of them.

An administrator (created through the one-time setup link the server prints at start) adds a
source to the library and makes two members moderators. Anna starts a topic and replies in it;
Bram replies too. The first moderator starts a shift, reads and acknowledges the handover,
screens everything new, hides Anna's reply with a reason, refers her opening post to the
source, silences Bram for a day and ends the shift with a logbook entry. Anna then sees why
her reply was hidden (on the topic page and under /notices); Bram can still read but not
write. The second moderator, in English, finds the first one's logbook entry at the top of the
handover; the administrator finds every action in the audit log.

The administrator comes from the one-time /setup/ link that the server prints at its first
start (scripts/e2e writes the server log beside the artifacts folder), so this needs a fresh
database. When the site asks the team for two-factor sign-in, the test enrols with the key the
page shows and computes the codes itself (RFC 6238), as an authenticator app would.

Every page visited goes through `site.check` (layout, axe-core, HTML saved for the Nu validator).
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import (ADMINS, PASSWORD, become_first_admin, fetch_status, log_in_team, make_moderator, open_team_page,
                      person, post_ids, select)
from test_accounts import log_in, log_out, register


@pytest.fixture
def english_site(new_site):
    """A second browser, for the moderator who works in English."""
    return new_site("en")


# ------------------------------------------------------------------------------------------
# The journey
# ------------------------------------------------------------------------------------------


def test_moderation_shift_screening_actions_handover_and_audit(site, english_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    anna, bram = person("Anna"), person("Bram", real_name=f"Bram Tester {tag}")
    mod1 = person("Mira")
    mod2 = person("Milo")
    source_title = f"Thuisarts depressie {tag}"
    source_url = f"https://www.thuisarts.nl/depressie?e2e={tag}"
    hide_reason = f"Persoonlijke gegevens van een ander lid ({tag})"
    refer_note = f"Meer over herstel lees je hier ({tag})"
    silence_reason = f"Herhaaldelijk kwetsende reacties ({tag})"
    peculiarities = f"Rustige dienst; antwoord van Anna verborgen, Bram een dag stil ({tag})"
    open_item = f"Bram morgen opnieuw bekijken ({tag})"

    # Everyone works in Dutch here; the second moderator in English in a browser of their own.
    site.switch_language("nl")
    english_site.switch_language("en")
    for who in (anna, bram, mod1):
        register(site, mailbox, base_url, who)
    register(english_site, mailbox, base_url, mod2)

    # 1. The first administrator adds a source and makes two moderators.
    become_first_admin(site, base_url)
    open_team_page(site, ADMINS[base_url], "/admin/sources")
    site.check("admin-sources")
    site.fill("title", source_title)
    site.fill("url", source_url)
    select(site, "language", "nl")
    site.fill("description", "Betrouwbare uitleg over depressie")
    site.click_and_wait("#source-submit")
    assert urlsplit(site.d.current_url).path == "/admin/sources", f"adding a source ended on {site.path}:\n{site.text()}"
    assert source_title in site.text("#sources"), "the new source is not in the library"
    site.check("admin-sources-added")
    make_moderator(site, mod1)
    make_moderator(site, mod2)
    site.check("admin-members")
    log_out(site)

    # 2. Anna starts a topic and replies in it; Bram replies.
    log_in(site, anna.email, PASSWORD)
    site.open("/c/living-with-depression")
    site.click_and_wait("#new-topic")
    site.fill("title", f"Slecht slapen {tag}")
    site.fill("body", "Ik word elke nacht om vier uur wakker. Herkent iemand dit?")
    site.click_and_wait("#topic-form-submit")
    topic_path = urlsplit(site.d.current_url).path
    assert re.fullmatch(r"/t/\d+", topic_path), f"posting the topic ended on {site.path}"
    site.fill("body", f"Mijn buurvrouw heeft precies hetzelfde, ze heet voluit Jansen {tag}.")
    site.click_and_wait("#reply-form-submit")
    assert site.has("#post-2"), "Anna's reply is not on the topic page"
    site.check("topic-by-anna")
    log_out(site)

    log_in(site, bram.email, PASSWORD)
    site.open(topic_path)
    site.fill("body", "Stel je niet zo aan.")
    site.click_and_wait("#reply-form-submit")
    assert site.has("#post-3"), "Bram's reply is not on the topic page"
    log_out(site)

    # 3. The first moderator's shift.
    log_in_team(site, mod1)
    open_team_page(site, mod1, "/mod")
    assert site.has("#start-shift-link"), f"the dashboard offers no shift to start:\n{site.text('main')}"
    unscreened = int(site.text("#figure-unscreened"))
    assert unscreened >= 3, f"the dashboard counts {unscreened} unscreened posts, expected at least 3"
    assert site.has("#figure-oldest") and site.has("#figure-coverage")
    newcomers = [a.text for a in site.d.find_elements(By.CSS_SELECTOR, "#newcomers a")]
    assert bram.pseudonym in newcomers, f"Bram is not among the newcomers: {newcomers}"
    site.check("mod-dashboard")

    site.click_and_wait("#start-shift-link")
    assert urlsplit(site.d.current_url).path == "/mod/shift"
    assert site.has("#start-shift-form") and site.has("#kind-morning") and site.has("#kind-evening")
    site.check("start-shift")
    site.tick("kind-ad_hoc")
    site.click_and_wait("#start-shift-submit")
    assert urlsplit(site.d.current_url).path == "/mod/shift", f"starting a shift ended on {site.path}"
    assert site.has("#acknowledge-form"), f"no handover to acknowledge:\n{site.text('main')}"
    assert site.has("#handover-entries") or site.has("#no-entries"), "the handover shows neither entries nor #no-entries"
    site.check("handover-mod1")
    site.click_and_wait("#acknowledge-submit")
    assert urlsplit(site.d.current_url).path == "/mod", f"acknowledging ended on {site.path}"
    assert site.has("#end-shift-link") and not site.has("#start-shift-link"), "the dashboard does not show the shift in progress"
    site.check("mod-dashboard-in-shift")

    site.open(topic_path)
    ids = post_ids(site, 3)
    site.check("topic-for-moderator")

    # Screening: the three posts wait, oldest first; Bram's name leads to his page.
    site.open("/mod/screening")
    for number in (1, 2, 3):
        assert site.has(f"li#screen-post-{ids[number]}"), f"post #{number} (id {ids[number]}) is not waiting for screening"
    positions = [site.d.execute_script(
        "return [...document.querySelectorAll('li.screening-item')].findIndex(li => li.id === arguments[0])",
        f"screen-post-{ids[n]}") for n in (1, 2, 3)]
    assert positions == sorted(positions), f"screening is not oldest first: positions {positions}"
    bram_href = site.attr(f"li#screen-post-{ids[3]} .post-header a", "href")
    assert site.text(f"li#screen-post-{ids[3]} .post-header a") == bram.pseudonym
    bram_page = urlsplit(bram_href).path
    assert re.fullmatch(r"/mod/members/[0-9A-Fa-f-]{36}", bram_page), f"Bram's name links to {bram_href!r}"
    act_href = site.attr(f"li#screen-post-{ids[2]} a.act-link", "href")
    assert urlsplit(act_href).path == f"/mod/posts/{ids[2]}", f"the act link of Anna's reply goes to {act_href!r}"
    site.check("screening")
    for _ in range(50):
        if not site.has("#screen-submit"):
            break
        site.click_and_wait("#screen-submit")
    assert site.has("#screening-empty"), f"posts still wait after screening every page:\n{site.text('main')}"
    site.check("screening-empty")
    site.open("/mod")
    assert site.text("#figure-unscreened") == "0", f"the dashboard still counts {site.text('#figure-unscreened')} unscreened"

    # Hide Anna's reply, with a reason.
    site.open(f"/mod/posts/{ids[2]}")
    assert site.has("#post-screening") and site.has("#hide-form") and site.has("#refer-form")
    site.check("post-action")
    site.fill("hide-reason", hide_reason)
    site.click_and_wait("#hide-submit")
    assert urlsplit(site.d.current_url).path == f"/mod/posts/{ids[2]}", f"hiding ended on {site.path}"
    assert site.has("#restore-form") and not site.has("#hide-form"), "the hidden post offers no restore form"
    assert hide_reason in site.text("main"), "the post's history does not show the hide reason"
    site.check("post-hidden")

    # Refer Anna's opening post to the source.
    site.open(f"/mod/posts/{ids[1]}")
    site.fill("refer-note", refer_note)
    labels = site.d.find_elements(By.XPATH, f"//fieldset[@id='refer-sources']//label[contains(., '{source_title}')]")
    assert labels, f"the source {source_title!r} is not offered in #refer-sources"
    box_id = labels[0].get_attribute("for")
    assert box_id.startswith("source-"), f"the source's label points at {box_id!r}"
    site.tick(box_id)
    site.click_and_wait("#refer-submit")
    assert urlsplit(site.d.current_url).path == f"/mod/posts/{ids[1]}", f"referring ended on {site.path}"
    assert refer_note in site.text("main"), f"the post's history does not show the note:\n{site.text('main')}"
    site.check("post-referred")

    # Silence Bram for a day; look at his contact details (logged).
    site.open(bram_page)
    assert site.text("h1") == bram.pseudonym
    status_before = site.text("#member-status")
    site.check("member-page")
    site.d.find_element(By.ID, "act-kind-silence").click()
    select(site, "act-days-silence", "1")
    site.fill("act-reason", silence_reason)
    site.click_and_wait("#act-submit")
    assert urlsplit(site.d.current_url).path == bram_page, f"silencing ended on {site.path}:\n{site.text('main')}"
    assert site.text("#member-status") != status_before, f"Bram's status did not change: {status_before!r}"
    assert silence_reason in site.text("main"), "the member's history does not show the reason"
    site.check("member-silenced")
    site.fill("contact-reason", "Controle na de maatregel")
    site.click_and_wait("#contact-submit")
    assert site.has("#contact-details") and bram.email in site.text("#contact-details"), "no contact details shown"
    site.check("member-contact", dom=True)

    # End the shift: first without peculiarities (refused, text kept), then properly.
    site.open("/mod")
    site.click_and_wait("#end-shift-link")
    assert urlsplit(site.d.current_url).path == "/mod/shift/end"
    site.check("end-shift")
    select(site, "atmosphere", "4")
    site.fill("atmosphere_note", "Weinig drukte")
    site.fill("watch_members", bram.pseudonym)
    site.fill("open_items", open_item)
    status = fetch_status(site, "/mod/shift/end", "#end-shift-form")
    assert status == 422, f"ending a shift without peculiarities answered {status}, not 422"
    site.click_and_wait("#end-shift-submit")
    assert site.has("#form-errors"), f"no #form-errors for the missing peculiarities:\n{site.text('main')}"
    assert site.value("atmosphere_note") == "Weinig drukte" and site.value("open_items") == open_item, \
        "the end-of-shift form lost what was typed"
    assert site.value("watch_members") == bram.pseudonym
    assert Select(site.d.find_element(By.ID, "atmosphere")).first_selected_option.get_attribute("value") == "4"
    assert site.attr("#peculiarities", "aria-invalid") == "true", "the empty peculiarities are not marked aria-invalid"
    site.check("end-shift-errors", dom=True)
    site.fill("peculiarities", peculiarities)
    site.click_and_wait("#end-shift-submit")
    assert urlsplit(site.d.current_url).path == "/mod", f"ending the shift ended on {site.path}:\n{site.text('main')}"
    assert site.has("#start-shift-link"), "the dashboard still shows a shift in progress"
    site.check("mod-dashboard-after-shift")
    site.open("/mod/logbook")
    assert peculiarities in site.text("main"), "the logbook does not hold the entry"
    site.check("mod-logbook")
    log_out(site)

    # Bram hears of it by mail too.
    mailbox.wait_for(bram.email, matching=re.escape(silence_reason), timeout=30)

    # 4. Anna sees why her reply was hidden, and the moderator's note with the source.
    log_in(site, anna.email, PASSWORD)
    site.open(topic_path)
    assert site.has("#post-2 .post-placeholder"), "Anna's hidden reply shows no placeholder"
    assert site.has("#post-2-reason"), "Anna is not told why her reply was hidden"
    assert hide_reason in site.text("#post-2-reason")
    notes = site.d.find_elements(By.CSS_SELECTOR, "#post-1 aside.moderator-note")
    assert notes and refer_note in notes[0].text, "the moderator's note is not under the opening post"
    assert notes[0].find_elements(By.CSS_SELECTOR, f"a[href='{source_url}']"), "the note does not link to the source"
    site.check("topic-anna-hidden-reply")
    site.open("/notices")
    assert site.has("#notices") and hide_reason in site.text("#notices"), f"/notices does not list the hiding:\n{site.text('main')}"
    site.check("notices-anna")
    log_out(site)

    # Bram can read but not write.
    log_in(site, bram.email, PASSWORD)
    site.open(topic_path)
    assert site.has("#silenced-notice"), "a silenced member sees no #silenced-notice on the topic page"
    assert not site.has("#reply-form"), "a silenced member still gets the reply form"
    assert site.has("#post-3") and site.has("#post-1 .prose"), "a silenced member cannot read the topic"
    assert not site.has("#post-2-reason"), "another member sees the reason Anna's reply was hidden"
    site.check("topic-silenced")
    site.open("/t/new")
    assert site.has("#silenced-notice"), f"/t/new does not show the silenced page:\n{site.text('main')}"
    assert not site.has("#topic-form"), "a silenced member gets the new-topic form"
    status = fetch_status(site, "/t/new")
    assert status == 403, f"/t/new answered a silenced member {status}, not 403"
    site.check("new-topic-silenced")
    site.open("/notices")
    assert silence_reason in site.text("#notices"), "/notices does not tell Bram why he was silenced"
    site.check("notices-bram")
    log_out(site)

    # 5. The second moderator (English) reads the first one's entry at the top of the handover.
    log_in_team(english_site, mod2)
    open_team_page(english_site, mod2, "/mod/shift")
    english_site.check("start-shift-en")
    english_site.tick("kind-evening")
    english_site.click_and_wait("#start-shift-submit")
    assert english_site.has("#handover-entries"), f"the handover shows no entries:\n{english_site.text('main')}"
    first = english_site.d.find_element(By.CSS_SELECTOR, "#handover-entries > li:first-child article.logbook-entry")
    assert peculiarities in first.find_element(By.CSS_SELECTOR, ".peculiarities").text, \
        f"the newest handover entry is not the first moderator's:\n{first.text}"
    assert mod1.pseudonym in first.text, "the entry does not name its author"
    assert english_site.has("#open-items") and open_item in english_site.text("#open-items"), "the open item was not carried over"
    english_site.check("handover-en")
    english_site.click_and_wait("#acknowledge-submit")
    assert urlsplit(english_site.d.current_url).path == "/mod"
    english_site.check("mod-dashboard-en")
    english_site.open("/mod/queue")
    assert english_site.has("#queue-items") or english_site.has("#queue-empty")
    english_site.check("queue-en")

    # 6. The administrator finds every action in the audit log.
    admin = become_first_admin(site, base_url)
    open_team_page(site, admin, "/admin/audit")
    assert site.has("#audit-entries"), f"the audit log is empty:\n{site.text('main')}"
    actions = {code.text for code in site.d.find_elements(By.CSS_SELECTOR, "#audit-entries td code")}
    for action in ("source.create", "role.change", "shift.start", "posts.screen", "post.hide", "post.refer",
                   "member.silence", "contact.view", "shift.end"):
        assert action in actions, f"the audit log has no {action} entry (it has {sorted(actions)})"
    assert silence_reason in site.text("#audit-entries"), "the audit log does not show the silence reason"
    site.check("audit")
    site.fill("action", "post.")
    site.click_and_wait("#audit-filter-submit")
    filtered = [code.text for code in site.d.find_elements(By.CSS_SELECTOR, "#audit-entries td code")]
    assert "post.hide" in filtered and "post.refer" in filtered, f"filtering on post. shows {filtered}"
    assert all(a.startswith("post.") for a in filtered), f"filtering on post. also shows {filtered}"
    site.check("audit-filtered")
