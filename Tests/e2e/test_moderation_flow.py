"""Moderation that flows, and nothing lost by accident, in a real browser.

Anna starts a topic and replies in it. She deletes her reply: a second page asks first and shows
its text; after deleting, the topic offers an undo right where the post was, and the undo brings
it back as it was. Bram reports Anna's reply. Mira, a moderator, finds the report in the queue,
hides the post with a reason, and the queue no longer holds the report; Bram's notices say the
moderators took action. Last, the moderator dashboard is photographed at 1280×900 and 390×844,
in Dutch and in English (e2e-artifacts/screenshots/), and checked with axe at both sizes.

Every page visited goes through `site.check` (layout, axe-core, HTML saved for the Nu validator).
"""

from __future__ import annotations

import base64
import re
import uuid
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By

from conftest import (ARTIFACTS, PASSWORD, Site, become_first_admin, log_in_team, make_moderator, open_team_page, person,
                      select)
from test_accounts import log_in, log_out, register

SCREEN_SIZES = (("desktop", 1280, 900, False), ("phone", 390, 844, True))


def photograph(site: Site, name: str) -> None:
    """Saves the page shown now as the viewer sees it, at each size, and checks it with axe there."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for label, width, height, mobile in SCREEN_SIZES:
        site.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        try:
            site.open(site.path)  # laid out again at this size
            site.check(f"{name}-{label}")
            shot = site.d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
            target = folder / f"{name}-{width}x{height}.png"
            target.write_bytes(base64.b64decode(shot["data"]))
            assert target.stat().st_size > 10_000, f"the screenshot {target} looks empty"
        finally:
            site.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_delete_and_undo_report_hide_empties_queue_and_dashboard_screenshots(site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    anna, bram, mira = person("Anna"), person("Bram"), person("Mira")
    reply = f"Vanochtend liep ik een rondje door het park en dat hielp een beetje ({tag})"
    hide_reason = f"Noemt een ander lid bij naam ({tag})"

    site.switch_language("nl")
    for who in (anna, bram, mira):
        register(site, mailbox, base_url, who)
    become_first_admin(site, base_url)
    make_moderator(site, mira)
    log_out(site)

    # 1. Anna writes, deletes her reply (asked first), and undoes it.
    log_in(site, anna.email, PASSWORD)
    site.open("/c/living-with-depression")
    site.click_and_wait("#new-topic")
    site.fill("title", f"Kleine dingen die helpen {tag}")
    site.fill("body", "Wat helpt jullie op een grijze dag?")
    site.click_and_wait("#topic-form-submit")
    topic_path = urlsplit(site.d.current_url).path
    assert re.fullmatch(r"/t/\d+", topic_path), f"posting the topic ended on {site.path}"
    site.fill("body", reply)
    site.click_and_wait("#reply-form-submit")
    assert site.has("#post-2 a.remove-link"), "Anna's reply offers no way to delete it"
    site.click_and_wait("#post-2 a.remove-link")
    assert re.fullmatch(r"/p/\d+/remove", urlsplit(site.d.current_url).path), f"deleting did not ask first: {site.path}"
    assert reply[:60] in site.text("#remove-excerpt"), f"the question does not show the text:\n{site.text('main')}"
    site.check("remove-ask")
    site.click_and_wait("#remove-cancel")
    assert urlsplit(site.d.current_url).path == topic_path and reply in site.text("#post-2"), "'keep it' did not keep it"
    site.click_and_wait("#post-2 a.remove-link")
    site.click_and_wait("#remove-submit")
    assert urlsplit(site.d.current_url).path == topic_path, f"deleting ended on {site.path}"
    assert site.has("#post-2-undo"), f"no undo where the post was:\n{site.text('main')}"
    assert reply not in site.text("#post-2"), "the deleted reply is still shown"
    site.check("topic-after-delete", dom=True)
    site.click_and_wait("#undo-remove-2")
    assert urlsplit(site.d.current_url).path == topic_path, f"undoing ended on {site.path}"
    assert reply in site.text("#post-2"), f"the undo did not bring the reply back:\n{site.text('#post-2')}"
    assert not site.has("#post-2-undo") and site.has("#post-2 a.remove-link")
    site.check("topic-after-undo", dom=True)
    log_out(site)

    # 2. Bram reports Anna's reply.
    log_in(site, bram.email, PASSWORD)
    site.open(topic_path)
    report_href = site.attr("#post-2 a.report-link", "href")
    post_id = re.search(r"/p/(\d+)/report$", report_href or "")
    assert post_id, f"the reply's report link is {report_href!r}"
    post_id = int(post_id.group(1))
    site.click_and_wait("#post-2 a.report-link")
    site.tick("reason-disrespectful")
    site.click_and_wait("#report-submit")
    assert urlsplit(site.d.current_url).path == topic_path, f"reporting ended on {site.path}"
    log_out(site)

    # 3. Mira hides the reported post; the queue no longer holds the report.
    log_in_team(site, mira)
    open_team_page(site, mira, "/mod/queue")
    reports = [li for li in site.d.find_elements(By.CSS_SELECTOR, "#queue-items > li.queue-flag")
               if li.find_elements(By.CSS_SELECTOR, f"a[href='/mod/posts/{post_id}']")]
    assert len(reports) == 1, f"{len(reports)} report items for post {post_id} in the queue:\n{site.text('main')}"
    site.check("queue-with-report")
    site.open(f"/mod/posts/{post_id}")
    site.fill("hide-reason", hide_reason)
    site.click_and_wait("#hide-submit")
    assert urlsplit(site.d.current_url).path == f"/mod/posts/{post_id}", f"hiding ended on {site.path}"
    site.check("post-hidden")
    site.open("/mod/queue")
    left = site.d.find_elements(By.CSS_SELECTOR, f"#queue-items > li a[href='/mod/posts/{post_id}']")
    left = [a for a in left if "queue-flag" in a.find_element(By.XPATH, "ancestor::li[1]").get_attribute("class")]
    assert not left, f"the queue still holds the report on the hidden post:\n{site.text('main')}"
    site.check("queue-after-hide")

    # 4. The dashboard, photographed in Dutch and in English at desktop and phone sizes.
    site.open("/mod")
    assert site.has("#queue-counts"), f"the dashboard shows no queue counts:\n{site.text('main')}"
    photograph(site, "mod-dashboard-nl")
    # A member's language is a setting; /settings also leads to notifications and the break.
    site.open("/settings")
    assert site.has("#notification-settings-link") and site.has("#break-link"), "/settings does not lead to notifications and the break"
    select(site, "locale", "en")
    site.click_and_wait("#language-submit")
    site.lang = "en"
    site.open("/mod")
    assert site.html_lang() == "en"
    photograph(site, "mod-dashboard-en")
    site.lang = None  # the visitor pages after logging out follow the browser's cookie again
    log_out(site)

    # 5. Bram hears that the moderators acted on his report.
    site.switch_language("nl")
    log_in(site, bram.email, PASSWORD)
    site.open("/notices")
    assert "actie ondernomen" in site.text("#my-reports"), f"Bram's report shows no outcome:\n{site.text('main')}"
    site.check("notices-bram")
