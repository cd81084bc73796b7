"""News, publications and member blogs in a real browser, in Dutch and in English.

News: the first administrator adds an evidence-based source and makes Eva an editor. Eva (in
Dutch, two-factor sign-in set up as the team's helpers do) publishes a news item in both
languages (pinned to the home page, public, with a theme), a publication whose source she
picks from the evidence-based list, and a third item scheduled for next month. Bram (in
English) sees the pinned item on his home page, reads both items in English, sees the
evidence mark, filters the list, reacts and comments, and finds both in his notifications
("News from the team"); the scheduled item stays out of his sight. A visitor reads the public
item and is sent to the login for the other.

Blogs: Bram (in English) follows Anna's blog before she writes. Anna (in Dutch) writes a blog
entry for all members and a private journal entry. Bram hears of, reads, reacts to and
comments on the blog entry; the journal entry is never in his lists and its address answers
"page not found". Anna sees "read by 1 member" and Bram's comment.

Forms keep the text: a blog entry with a too-short title comes back with everything as typed.

Every page visited goes through `site.check` (layout, axe-core, HTML saved for the Nu validator).
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import (ADMINS, PASSWORD, Site, become_first_admin, log_in_team, open_team_page, person, select)
from test_accounts import log_in, log_out, register

# Strings from Resources/Locales (en/nl community.json and en/nl.json).
NEWS_FROM_TEAM = {"nl": "Nieuws van het team", "en": "News from the team"}
EVIDENCE_MARK = {"nl": "Betrouwbare bron", "en": "Evidence-based source"}
READ_BY_ONE = {"nl": "Gelezen door 1 lid", "en": "Read by 1 member"}
NOT_FOUND = {"nl": "Pagina niet gevonden", "en": "Page not found"}
TITLE_ERROR = {"nl": "Geef je onderwerp een titel van 3 tot 120 tekens.",
               "en": "Give your topic a title of 3 to 120 characters."}
# How long the news job (every job round, a second or two) may take to tell the members.
NEWS_TOLD_WITHIN = 20.0


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


def make_editor(site: Site, who) -> str:
    """Gives `who` the editor role on /admin (an administrator is logged in); returns their id."""
    site.open(f"/admin?q={who.pseudonym}")
    selects = site.d.find_elements(By.CSS_SELECTOR, "#members-table select[id^='role-']")
    assert len(selects) == 1, f"searching /admin for {who.pseudonym} found {len(selects)} rows"
    member_id = selects[0].get_attribute("id").removeprefix("role-")
    offered = [o.get_attribute("value") for o in Select(selects[0]).options]
    assert "editor" in offered, f"the role select offers no editor: {offered}"
    label = Select(selects[0]).options[offered.index("editor")].text
    assert label in ("Redacteur", "Editor"), f"the editor role reads {label!r} (a missing translation?)"
    Select(selects[0]).select_by_value("editor")
    site.click_and_wait(f"#members-table form[action='/admin/members/{member_id}/role'] button[type='submit']")
    assert urlsplit(site.d.current_url).path == "/admin", f"changing the role ended on {site.path}"
    role = Select(site.d.find_element(By.ID, f"role-{member_id}")).first_selected_option.get_attribute("value")
    assert role == "editor", f"{who.pseudonym} has the role {role!r} after the change"
    site.check("admin-editor-made")
    return member_id


def write_news(site: Site, name: str, *, kind: str, language: str, title: str, summary: str, body: str,
               second: tuple[str, str, str] | None = None, theme: str = "", source_pick: str = "",
               authors: str = "", year: str = "", publish: str = "now", publish_at: str = "",
               pinned: bool = False, public: bool = False, comments: bool = True) -> int:
    """Fills in /news/new and saves; returns the item's id (the page is the item)."""
    site.open("/news/new")
    site.tick(f"kind-{kind}")
    site.tick(f"language-{language}")
    site.fill("title", title)
    site.fill("summary", summary)
    site.fill("body", body)
    if second:
        site.fill("second_title", second[0])
        site.fill("second_summary", second[1])
        site.fill("second_body", second[2])
    select(site, "theme", theme)
    if source_pick:
        Select(site.d.find_element(By.ID, "source_pick")).select_by_visible_text(source_pick)
    if authors:
        site.fill("source_authors", authors)
    if year:
        site.fill("source_year", year)
    site.tick(f"publish-{publish}")
    if publish_at:
        site.fill("publish_at", publish_at)
    site.tick("pinned", pinned)
    site.tick("public", public)
    site.tick("comments", comments)
    if kind == "publication":
        site.check(f"{name}-filled", dom=True)
    site.click_and_wait("#news-form-submit")
    path = urlsplit(site.d.current_url).path
    assert re.fullmatch(r"/news/\d+", path), f"saving the news item ended on {site.path}:\n{site.text('main')}"
    assert site.has(".flash-success"), f"no success message after saving:\n{site.text('main')}"
    site.check(name)
    return int(path.removeprefix("/news/"))


def write_entry(site: Site, name: str, title: str, body: str, visibility: str = "members", comments: bool = True) -> int:
    """Writes a blog entry at /blogs/new; returns its id (the page is the entry)."""
    site.open("/blogs")
    site.click_and_wait("#write-entry")
    assert urlsplit(site.d.current_url).path == "/blogs/new"
    site.fill("title", title)
    site.fill("body", body)
    site.tick(f"visibility-{visibility}")
    site.tick("comments", comments)
    site.click_and_wait("#entry-form-submit")
    path = urlsplit(site.d.current_url).path
    assert re.fullmatch(r"/blogs/\d+", path), f"publishing the entry ended on {site.path}:\n{site.text('main')}"
    assert title in site.text("#topic-title")
    site.check(name)
    return int(path.removeprefix("/blogs/"))


def comment(site: Site, text: str, number: int) -> None:
    """Comments on the news item or blog entry shown; the comment becomes post `number`."""
    site.fill("body", text)
    site.click_and_wait("#reply-form-submit")
    assert site.has(f"#post-{number}"), f"the comment is not post #{number} on {site.path}:\n{site.text('main')}"
    assert text in site.text(f"#post-{number}")


def react(site: Site, kind: str = "recognise") -> None:
    site.click_and_wait(f"#post-1 .reactions button[value='{kind}']")
    assert site.attr(f"#post-1 .reactions button[value='{kind}']", "aria-pressed") == "true", "the reaction did not register"


def ids(site: Site, css: str, prefix: str) -> list[int]:
    return [int(el.get_attribute("id").removeprefix(prefix)) for el in site.d.find_elements(By.CSS_SELECTOR, css)]


def notifications_text(site: Site, needle: str, count: int, within: float) -> str:
    """Reloads /notifications until `needle` occurs `count` times (a job tells the members)."""
    deadline = time.monotonic() + within
    while True:
        site.open("/notifications")
        text = site.text("main")
        if text.count(needle) >= count:
            return text
        assert time.monotonic() < deadline, f"/notifications shows {needle!r} {text.count(needle)} time(s), not {count}:\n{text}"
        time.sleep(0.5)


# ------------------------------------------------------------------------------------------
# News and publications
# ------------------------------------------------------------------------------------------


def test_an_editor_publishes_news_and_a_publication_that_members_read_react_to_and_comment_on(site, new_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    eva, bram = person("Eva"), person("Bram")
    source_title = f"Richtlijn depressie {tag}"
    source_url = f"https://www.ggzstandaarden.nl/depressie?e2e={tag}"
    member_site = new_site("bram")

    site.switch_language("nl")
    member_site.switch_language("en")
    register(site, mailbox, base_url, eva)
    register(member_site, mailbox, base_url, bram)

    # 1. The administrator adds an evidence-based source and makes Eva an editor.
    become_first_admin(site, base_url)
    open_team_page(site, ADMINS[base_url], "/admin/sources")
    site.fill("title", source_title)
    site.fill("url", source_url)
    select(site, "language", "nl")
    site.click_and_wait("#source-submit")
    assert source_title in site.text("#sources"), f"the new source is not in the library:\n{site.text('main')}"
    make_editor(site, eva)
    log_out(site)

    # 2. Eva signs in, sets up two-factor sign-in when /news/new asks for it, and writes.
    log_in_team(site, eva)
    open_team_page(site, eva, "/news/new")
    assert site.has("#news-form") and site.has("#second-text") and site.has("#source_pick")
    site.check("news-new")
    news_id = write_news(
        site, "news-published", kind="news", language="both",
        title=f"Nieuwe gespreksavond {tag}", summary="Elke dinsdag praten we samen over slapen.",
        body="Vanaf januari is er **elke dinsdag** een gespreksavond.\n\nIedereen is welkom.",
        second=(f"New evening talks {tag}", "Every Tuesday we talk together about sleep.",
                "From January there is an evening talk **every Tuesday**.\n\nEveryone is welcome."),
        theme="living-with-depression", pinned=True, public=True)
    assert f"Nieuwe gespreksavond {tag}" in site.text("#topic-title")
    assert not site.has("#evidence-mark"), "a news item without a source carries the evidence mark"
    pub_id = write_news(
        site, "publication-published", kind="publication", language="en",
        title=f"Exercise and low mood {tag}", summary="A review of studies on walking and mood, in plain words.",
        body="Researchers compared **many studies**. Walking a little every day helped some people.",
        source_pick=source_title, authors="Jansen A, De Vries B", year="2024")
    assert site.has("#evidence-mark"), f"the publication has no evidence mark:\n{site.text('main')}"
    assert site.text("#evidence-mark") == EVIDENCE_MARK["nl"]
    source = site.text("#news-source")
    assert "Jansen A, De Vries B" in source and "2024" in source and source_url in source, f"the source reads:\n{source}"
    assert site.attr("#news-source a", "href") == source_url
    # A third item, scheduled for next month: it waits among the drafts.
    later = (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%d 09:00")
    scheduled_id = write_news(
        site, "news-scheduled", kind="news", language="nl", title=f"Kerstgroet {tag}", summary="Een groet van het team.",
        body="Fijne dagen gewenst.", publish="later", publish_at=later)
    assert site.has("#news-state"), "the scheduled item does not say it is scheduled"
    site.open("/news")
    assert scheduled_id in ids(site, "#drafts li.news-row", "news-"), f"the scheduled item is not among the drafts:\n{site.text('main')}"
    assert site.has(f"#news-{news_id}") and site.has(f"#news-{pub_id}"), "the editor's /news lacks the published items"
    site.check("news-list-editor")

    # 3. Bram, in English: the pinned item on his home page, both items in the list.
    log_in(member_site, bram.email, PASSWORD)
    assert member_site.has("#home-news"), f"the pinned news item is not on the member home:\n{member_site.text('main')}"
    assert f"New evening talks {tag}" in member_site.text("#home-news"), "the home page does not show the English title"
    member_site.open("/news")
    listed = ids(member_site, "li.news-row", "news-")
    assert news_id in listed and pub_id in listed, f"/news does not list both items: {listed}"
    assert scheduled_id not in listed, "a member sees the scheduled item before its time"
    assert not member_site.has("#drafts") and not member_site.has("#write-news"), "a member is offered the editors' tools"
    assert f"New evening talks {tag}" in member_site.text(f"#news-{news_id}")
    member_site.check("news-list")
    select(member_site, "kind", "publication")
    member_site.click_and_wait("#filter-submit")
    listed = ids(member_site, "li.news-row", "news-")
    assert pub_id in listed and news_id not in listed, f"the publications filter lists {listed}"
    member_site.check("news-list-publications")
    member_site.open("/news?theme=living-with-depression")
    listed = ids(member_site, "li.news-row", "news-")
    assert news_id in listed and pub_id not in listed, f"the theme filter lists {listed}"
    assert member_site.has("#theme option[value='living-with-depression'][selected]"), "the theme filter does not show its choice"

    # The news item in English; he reacts and comments.
    member_site.open(f"/news/{news_id}")
    assert member_site.text("#topic-title") == f"New evening talks {tag}"
    assert "Every Tuesday we talk together about sleep." in member_site.text("#news-summary")
    assert "every Tuesday" in member_site.text("#post-1")
    member_site.check("news-item")
    react(member_site)
    comment(member_site, "That sounds good, I will try to come.", 2)
    assert urlsplit(member_site.d.current_url).path == f"/news/{news_id}", f"the comment ended on {member_site.path}"
    member_site.check("news-item-commented", dom=True)

    # The publication: its source with the evidence mark.
    member_site.open(f"/news/{pub_id}")
    assert member_site.text("#evidence-mark") == EVIDENCE_MARK["en"]
    assert "Jansen A, De Vries B" in member_site.text("#news-source")
    comment(member_site, "Walking helps me too, on the better days.", 2)
    member_site.check("publication-commented", dom=True)

    # His notifications tell of both published items, not of the scheduled one.
    text = notifications_text(member_site, NEWS_FROM_TEAM["en"], 2, NEWS_TOLD_WITHIN)
    assert f"Exercise and low mood {tag}" in text, f"no notification of the publication:\n{text}"
    # An item in both languages is named in the reader's language.
    assert f"New evening talks {tag}" in text and f"Nieuwe gespreksavond {tag}" not in text, f"no English notification of the news item:\n{text}"
    assert f"Kerstgroet {tag}" not in text, "a member was told of the scheduled item"
    member_site.check("notifications-news")

    # Eva sees the comment and the reaction on her item.
    site.open(f"/news/{news_id}")
    assert site.has("#post-2") and bram.pseudonym in site.text("#post-2")
    assert bram.pseudonym in site.text("#post-1 .reactions"), "the editor does not see who reacted"
    site.check("news-item-for-editor")

    # 4. A visitor: the public item reads, the other leads to the login.
    log_out(site)
    site.open("/news")
    listed = ids(site, "li.news-row", "news-")
    assert news_id in listed and pub_id not in listed, f"a visitor's /news lists {listed}"
    site.check("news-list-visitor")
    site.open(f"/news/{news_id}")
    assert urlsplit(site.d.current_url).path == f"/news/{news_id}", f"the public item sent a visitor to {site.path}"
    assert site.text("#topic-title") == f"Nieuwe gespreksavond {tag}"
    assert "elke dinsdag" in site.text("#news-body")
    assert not site.has("#reply-form") and not site.has(".reactions"), "a visitor is offered to comment or react"
    site.check("news-item-visitor")
    site.open(f"/news/{pub_id}")
    assert urlsplit(site.d.current_url).path == "/login", f"a non-public item let a visitor stay on {site.path}"
    assert site.has("#login-submit")
    site.check("news-item-visitor-login")


# ------------------------------------------------------------------------------------------
# Blogs and the private journal
# ------------------------------------------------------------------------------------------


def test_a_member_blogs_and_keeps_a_private_journal_that_nobody_else_sees(site, new_site, mailbox, base_url):
    tag = uuid.uuid4().hex[:6]
    anna, bram = person("Anna"), person("Bram")
    reader = new_site("bram")

    site.switch_language("nl")
    reader.switch_language("en")
    register(site, mailbox, base_url, anna)
    register(reader, mailbox, base_url, bram)
    log_in(site, anna.email, PASSWORD)
    log_in(reader, bram.email, PASSWORD)

    # Bram follows Anna's blog before she writes (every new entry).
    reader.open(f"/u/{anna.pseudonym}/blog")
    assert reader.has("#follow-form") and reader.has("#no-entries")
    reader.check("member-blog-empty")
    select(reader, "follow-level", "watching")
    reader.click_and_wait("#follow-submit")
    assert urlsplit(reader.d.current_url).path == f"/u/{anna.pseudonym}/blog"
    assert Select(reader.d.find_element(By.ID, "follow-level")).first_selected_option.get_attribute("value") == "watching"
    reader.check("member-blog-following")

    # Anna writes an entry for all members and one for her private journal.
    site.open("/blogs/new")
    site.check("blog-new")
    public_id = write_entry(
        site, "entry-published", f"Een goede week {tag}",
        "Deze week ben ik **drie keer** gaan wandelen.\n\nDat voelde als een kleine overwinning.")
    assert not site.has("#only-me-note")
    journal_id = write_entry(
        site, "journal-saved", f"Alleen voor mij {tag}", "Vandaag was zwaar. Ik schrijf het op om het kwijt te raken.",
        visibility="only_me", comments=False)
    assert site.has("#only-me-note"), "the journal entry does not say only Anna reads it"
    assert not site.has("#reply-form"), "a journal entry offers comments"
    site.open(f"/u/{anna.pseudonym}/blog")
    listed = ids(site, "li.entry-row", "entry-")
    assert public_id in listed and journal_id in listed, f"Anna's own blog lists {listed}"
    assert site.has(f"#entry-{journal_id} .badge-private"), "the journal entry has no 'only you' mark"
    assert not site.has("#follow-form"), "Anna is offered to follow her own blog"
    site.check("own-blog")

    # Bram hears of the blog entry, never of the journal entry.
    text = notifications_text(reader, f"Een goede week {tag}", 1, 10.0)
    assert f"Alleen voor mij {tag}" not in text, "a follower was told of a private journal entry"
    reader.check("notifications-blog")

    # Neither list shows him the journal entry; its address is not found.
    reader.open("/blogs")
    listed = ids(reader, "li.entry-row", "entry-")
    assert public_id in listed and journal_id not in listed, f"Bram's /blogs lists {listed}"
    reader.check("blogs")
    reader.open(f"/u/{anna.pseudonym}/blog")
    listed = ids(reader, "li.entry-row", "entry-")
    assert public_id in listed and journal_id not in listed, f"Anna's blog shows Bram {listed}"
    assert f"Alleen voor mij {tag}" not in reader.text("main")
    reader.check("member-blog")
    for path in (f"/blogs/{journal_id}", f"/blogs/{journal_id}/edit"):
        reader.open(path)
        assert reader.has('#error-page[data-status="404"]'), f"{path} does not answer 'not found':\n{reader.text('main')}"
        assert reader.text("h1") == NOT_FOUND["en"]
        assert "Vandaag was zwaar" not in reader.text("body")
    reader.check("journal-not-found")

    # He reads the blog entry, reacts and comments.
    reader.open(f"/blogs/{public_id}")
    assert "drie keer" in reader.text("#post-1")
    reader.check("entry")
    react(reader)
    comment(reader, "Well done, small steps count.", 2)
    assert urlsplit(reader.d.current_url).path == f"/blogs/{public_id}"
    reader.check("entry-commented", dom=True)

    # Anna sees who read it, the reaction and the comment.
    site.open(f"/blogs/{public_id}")
    assert site.text("#post-1 .read-by") == READ_BY_ONE["nl"], f"the entry reads {site.text('#post-1 .read-by')!r}"
    assert bram.pseudonym in site.text("#post-1 .reactions")
    assert "small steps count" in site.text("#post-2")
    site.check("entry-for-author")
    # A private journal entry has no read count: nobody else can read it.
    site.open(f"/blogs/{journal_id}")
    assert not site.has("#post-1 .read-by"), "a private journal entry shows a read count"
    assert not site.has("#watch-form"), "a private journal entry offers to follow its comments"


# ------------------------------------------------------------------------------------------
# Forms keep the text
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_blog_entry_with_a_too_short_title_comes_back_as_typed(site, mailbox, base_url, lang):
    cara = person("Cara")
    body = "Vandaag heb ik de was gedaan.\n\nDat was **genoeg** voor vandaag."
    site.switch_language(lang)
    register(site, mailbox, base_url, cara)
    log_in(site, cara.email, PASSWORD)
    site.open("/blogs/new")
    site.fill("title", "Hi")
    site.fill("body", body)
    site.tick("visibility-only_me")
    site.tick("comments", False)
    site.click_and_wait("#entry-form-submit")

    assert urlsplit(site.d.current_url).path == "/blogs/new", f"a too-short title ended on {site.path}"
    assert site.has(".form-errors"), "no .form-errors summary"
    assert TITLE_ERROR[lang] in site.text(".form-errors")
    assert site.attr("#title", "aria-invalid") == "true"
    assert site.value("title") == "Hi"
    assert site.value("body").replace("\r\n", "\n") == body, f"the text came back as {site.value('body')!r}"
    assert site.d.find_element(By.ID, "visibility-only_me").is_selected(), "the choice of readers was lost"
    assert not site.d.find_element(By.ID, "comments").is_selected(), "comments were switched back on"
    site.check("entry-errors", dom=True)

    site.fill("title", "Een gewone dag")
    site.click_and_wait("#entry-form-submit")
    assert re.fullmatch(r"/blogs/\d+", urlsplit(site.d.current_url).path), f"the fixed entry ended on {site.path}"
    assert site.has("#only-me-note")
    site.check("entry-fixed")
