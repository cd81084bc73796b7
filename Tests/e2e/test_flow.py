"""Journeys that must flow, in a real browser: search that finds what people mean (on both
databases), a moderator's one action that settles a report, and deleting one's own post with
the chance to take it back.

Every page goes through `site.check` (layout, axe-core, HTML saved for the Nu validator).
"""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By

from conftest import PASSWORD, become_first_admin, open_team_page, person, post_ids, screenshots
from test_accounts import log_in, register
from test_waiting_topics import start_topic


@pytest.mark.sqlite  # the stemmed terms are matched by FTS5 on SQLite and by tsvector on PostgreSQL
def test_slaap_finds_slapen_and_sliep_with_a_plain_highlighted_snippet(site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    anna = person("Anna")
    site.switch_language("nl")
    register(site, mailbox, base_url, anna)
    log_in(site, anna.email, PASSWORD)
    first = start_topic(site, f"Nachten {tag}", f"Ik kan **echt** niet slapen de laatste tijd ({tag}).")
    second = start_topic(site, f"Eindelijk {tag}", f"Vannacht sliep ik eindelijk acht uur ({tag}).")

    site.open(f"/search?q=slaap+{tag}")
    titles = [a.text for a in site.d.find_elements(By.CSS_SELECTOR, "#search-results > li > a")]
    assert f"Nachten {tag}" in titles and f"Eindelijk {tag}" in titles, f"'slaap' found {titles}"
    snippets = " ".join(p.get_attribute("innerHTML") for p in site.d.find_elements(By.CSS_SELECTOR, "#search-results .snippet"))
    assert "<mark>slapen</mark>" in snippets and "<mark>sliep</mark>" in snippets, f"the matches are not marked: {snippets}"
    assert "**" not in snippets, f"a snippet shows Markdown: {snippets}"
    assert re.search(r"\b2 resultaten\b", site.text("#search-count")), f"the count says {site.text('#search-count')!r}"
    site.check("search-slaap")
    screenshots(site, "search-slaap-nl")
    # And the other way round.
    site.open(f"/search?q=slapen+{tag}")
    titles = [a.text for a in site.d.find_elements(By.CSS_SELECTOR, "#search-results > li > a")]
    assert f"Eindelijk {tag}" in titles, f"'slapen' does not find 'sliep': {titles}"
    assert first and second


def test_hiding_a_reported_post_takes_its_report_out_of_the_queue(site, new_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    anna, bram = person("Anna"), person("Bram")
    site.switch_language("nl")
    register(site, mailbox, base_url, anna)
    log_in(site, anna.email, PASSWORD)
    topic = start_topic(site, f"Een lastige dag {tag}", f"Iets wat hier niet thuishoort ({tag}).")

    bram_site = new_site("bram")
    bram_site.switch_language("nl")
    register(bram_site, mailbox, base_url, bram)
    log_in(bram_site, bram.email, PASSWORD)
    bram_site.open(f"/t/{topic}")
    bram_site.click_and_wait("#post-1 a.report-link")
    bram_site.d.find_element(By.ID, "reason-disrespectful").click()
    bram_site.click_and_wait("#report-submit")
    assert bram_site.has(".flash-success"), f"the report was not received:\n{bram_site.text('main')}"

    team = new_site("team")
    team.switch_language("nl")
    admin = become_first_admin(team, base_url)
    open_team_page(team, admin, f"/t/{topic}")
    post = post_ids(team, 1)[1]
    open_team_page(team, admin, "/mod/queue")
    items = team.d.find_elements(By.XPATH, f"//li[contains(@class,'queue-flag')][.//a[contains(., '{tag}')]]")
    assert len(items) == 1, f"the report is not in the queue once:\n{team.text('main')}"
    team.check("queue-with-report")
    open_team_page(team, admin, f"/mod/posts/{post}")
    team.fill("hide-reason", f"Hoort hier niet ({tag})")
    team.click_and_wait("#hide-submit")
    open_team_page(team, admin, "/mod/queue")
    left = team.d.find_elements(By.XPATH, f"//li[contains(@class,'queue-item')][.//a[contains(., '{tag}')]][contains(@class,'queue-flag')]")
    assert not left, "hiding the post left its report in the queue"
    team.check("queue-after-hiding")
    bram_site.open("/notices")
    assert "weggehaald" in bram_site.text("main"), f"the reporter does not read what became of the report:\n{bram_site.text('main')}"
    bram_site.check("notices-report-answered")


def test_deleting_ones_own_post_asks_first_and_can_be_undone(site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    anna = person("Anna")
    site.switch_language("en")
    register(site, mailbox, base_url, anna)
    log_in(site, anna.email, PASSWORD)
    topic = start_topic(site, f"Thinking out loud {tag}", "An opening thought.")
    site.open(f"/t/{topic}")
    site.fill("body", f"Something I may regret writing ({tag}).")
    site.click_and_wait("#reply-form-submit")
    assert site.has("#post-2"), "the reply is not there"

    site.click_and_wait("#post-2 a.remove-link")
    assert urlsplit(site.d.current_url).path.endswith("/remove"), f"deleting did not ask first ({site.path})"
    assert tag in site.text("#remove-preview"), "the question does not show the post"
    site.check("remove-confirm")
    site.click_and_wait("#remove-cancel")
    assert tag in site.text("#post-2"), "'Keep it' did not keep the post"

    site.click_and_wait("#post-2 a.remove-link")
    site.click_and_wait("#remove-submit")
    assert tag not in site.text("#post-2"), "the deleted post's text is still shown"
    assert site.has("#post-2-undo"), "no way to undo the deletion"
    site.check("topic-after-delete")
    site.click_and_wait("#post-2-undo")
    assert tag in site.text("#post-2"), "undo did not bring the post back"
    assert not site.has("#post-2-undo")
    site.check("topic-after-undo")
