"""The forum journey in a real browser, in Dutch and in English, without JavaScript from the site.

A member starts a topic (with a preview first); another member quotes it in a reply and
reacts; the first sees the unread mark, the reply, "read by 1 member" and the reaction; and
search finds the topic. Every page visited is checked by `site.check` (layout, axe, HTML).
"""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from conftest import ARTIFACTS, CHROMEDRIVER, CHROMIUM, PASSWORD, Identity, Site
from test_accounts import log_in, register

LANGS = pytest.mark.parametrize("lang", ["nl", "en"])


@pytest.fixture
def second_site(base_url, axe_js, request):
    """A second person in a browser of their own."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--disable-gpu"):
        options.add_argument(arg)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(30)
    drv.set_script_timeout(60)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_") + "-second"
    try:
        yield Site(drv, base_url, axe_js, ARTIFACTS / name)
    finally:
        drv.quit()


def person(tag: str) -> Identity:
    t = uuid.uuid4().hex[:8]
    return Identity(email=f"e2e-{tag}-{t}@example.org", pseudonym=f"{tag}{t}", real_name="")


@pytest.mark.sqlite  # search: SQLite's FTS5 and PostgreSQL's tsvector
@LANGS
def test_members_start_a_topic_reply_with_a_quote_react_and_see_it_read(site, second_site, mailbox, base_url, lang):
    anna, bram = person("Anna"), person("Bram")
    word = f"lantaarn{uuid.uuid4().hex[:6]}"

    # Anna starts a topic, previewing it first.
    site.switch_language(lang)
    register(site, mailbox, base_url, anna)
    log_in(site, anna.email, PASSWORD)
    site.open("/c/living-with-depression")
    site.check("category")
    site.click_and_wait("#new-topic")
    site.check("new-topic")
    site.fill("title", f"Een {word} in de nacht")
    site.fill("body", f"Ik lig wakker en denk aan een **{word}**.\n\nHerkent iemand dit?")
    site.click_and_wait("#topic-form-preview")
    assert site.has(".preview strong"), "the preview does not show the cooked text"
    assert site.value("title") == f"Een {word} in de nacht", "the preview lost the title"
    site.check("new-topic-preview", dom=True)
    site.click_and_wait("#topic-form-submit")
    assert urlsplit(site.d.current_url).path.startswith("/t/"), f"posting the topic ended on {site.path}"
    topic_path = urlsplit(site.d.current_url).path
    assert word in site.text("#topic-title")
    site.check("topic-after-posting")

    # Bram sees it as new, quotes it, replies and says "I recognise this".
    second_site.switch_language(lang)
    register(second_site, mailbox, base_url, bram)
    log_in(second_site, bram.email, PASSWORD)
    row = second_site.d.find_elements(By.XPATH, f"//li[contains(@class,'topic-row')][.//a[contains(., '{word}')]]")
    assert row and "unread" in row[0].get_attribute("class"), "the new topic is not marked unread for another member"
    second_site.open(topic_path)
    second_site.check("topic-for-bram")
    second_site.click_and_wait("#post-1 .post-actions a[href*='quote=']")
    second_site.check("reply-with-quote")
    quoted = second_site.value("body")
    assert "> " in quoted and word in quoted, f"the reply form does not hold the quote: {quoted!r}"
    second_site.d.find_element(By.ID, "body").send_keys("Ja, dat ken ik. Sterkte.")
    second_site.click_and_wait("#reply-form-submit")
    assert second_site.has("#post-2"), "the reply is not on the topic page"
    second_site.check("topic-after-reply", dom=True)
    second_site.click_and_wait("#post-1 .reactions button[value='recognise']")
    pressed = second_site.attr("#post-1 .reactions button[value='recognise']", "aria-pressed")
    assert pressed == "true", "the reaction did not register"
    second_site.check("topic-after-reaction", dom=True)

    # Anna sees the unread mark, the reply with its quote, "read by 1" and who reacted.
    site.open("/")
    row = site.d.find_elements(By.XPATH, f"//li[contains(@class,'topic-row')][.//a[contains(., '{word}')]]")
    assert row and "unread" in row[0].get_attribute("class"), "Anna does not see the topic as having something new"
    site.check("home-with-unread")
    site.open(topic_path)
    assert site.has("#post-2 blockquote"), "the reply's quote is not shown"
    quoted_paragraphs = site.d.find_elements(By.CSS_SELECTOR, "#post-2 blockquote p")
    assert len(quoted_paragraphs) == 2, f"the quote of a two-paragraph post holds {len(quoted_paragraphs)} paragraphs"
    read_by = site.text("#post-1 .read-by")
    assert "1" in read_by, f"Anna's post does not say it was read by 1 member: {read_by!r}"
    assert bram.pseudonym in site.text("#post-1 .reactions"), "Anna does not see who reacted"
    site.check("topic-seen-by-anna")

    # Search finds the topic.
    site.open(f"/search?q={word}")
    assert site.has("#search-results"), "search found nothing"
    assert word in site.text("#search-results")
    site.check("search")
