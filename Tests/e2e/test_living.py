"""The community at first sight, in a real browser, in Dutch and in English: the member home's
latest activity with an unread topic, avatars and profile links, a quote that keeps its
paragraphs, the notifications grouped by day, and the team's pages.

Every page goes through `site.check` (layout, axe-core, HTML saved for the Nu validator), and
the pages named in the issue are saved as screenshots at 1280 × 900 and 390 × 844 under
<artifacts>/screenshots/ by `screenshots`, which also checks the phone's header (at most
120 px), where the content starts and that nothing is wider than the screen.
"""

import uuid
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By

from conftest import PASSWORD, become_first_admin, move_server_clock, open_team_page, person, screenshots
from test_accounts import log_in, register
from test_waiting_topics import start_topic

LANGS = pytest.mark.parametrize("lang", ["nl", "en"])
# Strings from Resources/Locales (living.json), nl and en.
NEW_SINCE = {"nl": "Nieuw sinds je vorige bezoek", "en": "New since your last visit"}
TODAY = {"nl": "Vandaag", "en": "Today"}
ONE_REPLY = {"nl": "1 reactie", "en": "1 reply"}


@LANGS
def test_home_topic_notifications_and_team_pages_look_alive_on_a_desktop_and_a_phone(site, new_site, mailbox, base_url, lang):
    tag = uuid.uuid4().hex[:6]
    anna, bram = person("Anna"), person("Bram")
    title = f"Slapen {tag}"

    # Anna starts a topic of two paragraphs.
    site.switch_language(lang)
    register(site, mailbox, base_url, anna)
    log_in(site, anna.email, PASSWORD)
    topic = start_topic(site, title, "Eerste alinea: ik lig vaak wakker.\n\nTweede alinea: wat hielp mij een beetje.")

    # Bram quotes it whole and answers.
    bram_site = new_site("bram")
    bram_site.switch_language(lang)
    register(bram_site, mailbox, base_url, bram)
    log_in(bram_site, bram.email, PASSWORD)
    row = bram_site.d.find_elements(By.XPATH, f"//ul[@id='latest-list']/li[contains(@class,'topic-row')][.//a[contains(., '{title}')]]")
    assert row and "unread" in row[0].get_attribute("class"), "Anna's topic is not in Bram's latest topics as unread"
    assert ONE_REPLY[lang] not in row[0].text and anna.pseudonym in row[0].text, f"the row says: {row[0].text!r}"
    bram_site.open(f"/t/{topic}")
    bram_site.click_and_wait("#post-1 .post-actions a[href*='quote=']")
    bram_site.d.find_element(By.ID, "body").send_keys("Dat herken ik. Sterkte vannacht.")
    bram_site.click_and_wait("#reply-form-submit")
    assert bram_site.has("#post-2"), "Bram's reply is not on the topic page"

    # Half an hour later Anna comes back: a new visit. Her home: the topic is new since her last
    # visit, marked unread, with its reply count.
    move_server_clock(31 * 60)
    site.open("/")
    assert NEW_SINCE[lang] in site.text("#latest-activity"), f"no 'new since your last visit':\n{site.text('#latest-activity')}"
    fresh = site.d.find_elements(By.XPATH, f"//ul[@id='new-since-list']/li[.//a[contains(., '{title}')]]")
    assert fresh and "unread" in fresh[0].get_attribute("class"), "the answered topic is not new and unread on Anna's home"
    assert ONE_REPLY[lang] in fresh[0].text, f"the row does not count 1 reply: {fresh[0].text!r}"
    assert fresh[0].find_elements(By.CSS_SELECTOR, ".avatar"), "the row has no avatar"
    assert site.has("#start-topic"), "the home page has no 'Start a topic' button"
    site.check("home-with-new-activity")
    screenshots(site, f"member-home-{lang}")

    # Notifications (before the topic: opening it settles them): grouped by day, the reply with a
    # clear "mark as read" button.
    site.open("/notifications")
    assert TODAY[lang] in site.text(".day-heading"), f"no day heading 'today': {site.text('#notifications')!r}"
    assert site.has(".notification.unread .mark-read button"), "no 'mark as read' button on the unread notification"
    site.check("notifications")
    screenshots(site, f"notifications-{lang}")
    site.click_and_wait(".notification.unread .mark-read button")
    assert urlsplit(site.d.current_url).path == "/notifications" and not site.has(".notification.unread"), \
        "marking the notification read left it unread"

    # The topic: avatars, names that lead to profiles, the quote in two paragraphs linking back.
    site.open(f"/t/{topic}")
    assert site.has(f"#post-2 .post-header a.author-link[href='/u/{bram.pseudonym}']"), "Bram's name does not link to his profile"
    assert site.has("#post-2 .post-header .avatar"), "Bram's post has no avatar"
    paragraphs = site.d.find_elements(By.CSS_SELECTOR, "#post-2 blockquote p")
    assert len(paragraphs) == 2, f"the quote holds {len(paragraphs)} paragraphs: {[p.text for p in paragraphs]}"
    assert site.has("#post-2 .prose a[href$='#post-1']"), "the quote does not link back to the quoted post"
    site.check("topic-with-quote")
    screenshots(site, f"topic-{lang}")

    # Search results.
    site.open(f"/search?q={tag}")
    assert title in site.text("main"), "search does not find the topic"
    site.check("search-results")
    screenshots(site, f"search-{lang}")

    # On a phone the menu opens without JavaScript and holds every place.
    site.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        site.open("/")
        site.d.find_element(By.ID, "site-menu-button").click()
        links = {urlsplit(a.get_attribute("href")).path for a in site.d.find_elements(By.CSS_SELECTOR, ".site-menu a") if a.is_displayed()}
        assert {"/", "/notifications", "/settings", "/search"} <= links, f"the phone menu shows {links}"
        site.check("home-phone-menu-open", dom=True)
    finally:
        site.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # The team's pages: the administrators' members table and the moderators' dashboard.
    admin_site = new_site("admin")
    admin_site.switch_language(lang)
    admin = become_first_admin(admin_site, base_url)
    open_team_page(admin_site, admin, "/admin")
    assert admin_site.has("nav.subnav a[href='/admin/settings']"), "the administration pages have no sub-navigation"
    assert not admin_site.has("header a[href='/admin/settings']"), "the administration's pages are still in the global header"
    admin_site.check("admin-members")
    screenshots(admin_site, f"admin-members-{lang}")
    open_team_page(admin_site, admin, "/mod")
    admin_site.check("moderator-dashboard")
    screenshots(admin_site, f"moderator-dashboard-{lang}")
