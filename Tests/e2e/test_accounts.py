"""Account journeys in a real browser, in Dutch and in English.

Every page visited goes through `site.check`: the site's layout, axe-core, and the saved HTML
that the Nu validator reads at the end of the run (see conftest.py).
"""

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from selenium.webdriver.common.by import By

from conftest import NEW_PASSWORD, PASSWORD

LANGS = pytest.mark.parametrize("lang", ["nl", "en"])

PUBLIC_PAGES = [
    ("/", "home"),
    ("/terms", "terms"),
    ("/privacy", "privacy"),
    ("/rules", "rules"),
    ("/help", "help"),
    ("/login", "login"),
    ("/signup", "signup"),
    ("/password/forgot", "forgot"),
]


def verify_link(base_url):
    return re.escape(base_url) + r"/verify/[A-Za-z0-9_\-]+"


def reset_link(base_url):
    return re.escape(base_url) + r"/password/reset/[A-Za-z0-9_\-]+"


# ------------------------------------------------------------------------------------------
# Steps shared by the journeys
# ------------------------------------------------------------------------------------------


def sign_up(site, who, password=PASSWORD):
    """Fills in the sign-up form completely and sends it; ends on the 'check your email' page."""
    site.open("/signup")
    site.check("signup")
    site.fill("email", who.email)
    site.fill("pseudonym", who.pseudonym)
    site.fill("real_name", who.real_name)
    site.fill("password", password)
    for box in ("accept_terms", "accept_privacy", "accept_rules", "confirm_adult"):
        site.tick(box)
    site.click_and_wait("#signup-submit")
    assert site.has("#signup-done"), f"sign-up did not succeed; page says:\n{site.text()}"
    site.check("signup-done", dom=True)


def verify_from_mail(site, mailbox, base_url, who, count=1):
    mail = mailbox.wait_for(who.email, count=count, matching=verify_link(base_url))
    link = mail.link(verify_link(base_url))
    site.open(link)
    assert site.has("#verify-done"), f"verification link did not verify; page says:\n{site.text()}"
    # The link is single-use: a second GET would answer #token-invalid, so save the DOM.
    site.check("verify-done", dom=True)
    login_links = [a for a in site.d.find_elements("css selector", "main a[href]")
                   if urlsplit(a.get_attribute("href")).path == "/login"]
    assert login_links, "the verified page has no link to /login"
    return link


def log_in(site, email, password, expect_path="/"):
    site.open("/login")
    site.check("login")
    submit_login(site, email, password)
    assert site.has("#member-home") or expect_path != "/", f"login did not reach the member home; page says:\n{site.text()}"
    assert urlsplit(site.d.current_url).path == expect_path, f"after login the browser is on {site.path}, not {expect_path}"
    assert site.has("form#logout-form #logout-submit"), "a logged-in page has no logout button"
    site.check("after-login")


def submit_login(site, email, password):
    site.fill("email", email)
    site.fill("password", password)
    site.click_and_wait("#login-submit")
    pass_first_login(site)


def pass_first_login(site):
    """A member's first login invites an introduction (skipped here), then shows the manual,
    which leads on to where they were going."""
    if urlsplit(site.d.current_url).path != "/intro":
        return
    site.check("first-login-intro")
    site.click_and_wait("#intro-skip")
    assert urlsplit(site.d.current_url).path == "/manual", f"skipping the introduction ended on {site.path}"
    site.check("first-login-manual")
    site.click_and_wait("#manual-continue")


def log_out(site):
    # On a wide screen the logout button sits in the account menu (a <details>): open it first.
    if not site.d.find_element(By.ID, "logout-submit").is_displayed():
        site.d.find_element(By.ID, "account-menu-button").click()
    site.click_and_wait("form#logout-form #logout-submit")
    assert urlsplit(site.d.current_url).path == "/", f"logout ended on {site.path}"
    assert site.has("#visitor-home"), f"after logout the visitor home is not shown; page says:\n{site.text()}"
    assert not site.has("form#logout-form"), "still a logout button after logging out"
    site.check("visitor-home-after-logout")


def register(site, mailbox, base_url, who):
    """A verified account, made through the browser like a person would."""
    sign_up(site, who)
    verify_from_mail(site, mailbox, base_url, who)


# ------------------------------------------------------------------------------------------
# (a) Visitor pages
# ------------------------------------------------------------------------------------------


@LANGS
def test_every_public_page_renders_in_the_layout_and_passes_axe(site, lang):
    site.switch_language(lang)
    for path, name in PUBLIC_PAGES:
        site.open(path)
        assert urlsplit(site.d.current_url).path == path, f"{path} redirected a visitor to {site.path}"
        site.check(name)
        assert not site.has("form#logout-form"), f"{path}: a visitor sees a logout button"
        assert site.has("form.language-switch #lang-en") and site.has("form.language-switch #lang-nl"), \
            f"{path}: no language switch for a visitor"
    site.open("/")
    assert site.has("#visitor-home"), "the home page does not show #visitor-home to a visitor"


@LANGS
def test_the_language_switch_keeps_the_visitor_on_the_same_page(site, lang):
    site.switch_language(lang)
    other = "en" if lang == "nl" else "nl"
    site.open("/rules")
    site.click_and_wait(f"#lang-{other}")
    assert urlsplit(site.d.current_url).path == "/rules", f"switching language on /rules ended on {site.path}"
    assert site.html_lang() == other
    site.lang = other
    site.check("rules-switched")


# ------------------------------------------------------------------------------------------
# (b) Sign up → mail → verify → log in → member home → log out
# ------------------------------------------------------------------------------------------


@LANGS
def test_a_new_member_signs_up_verifies_logs_in_and_out(site, mailbox, base_url, unique, lang):
    site.switch_language(lang)
    sign_up(site, unique)
    link = verify_from_mail(site, mailbox, base_url, unique)

    site.open(link)
    assert site.has("#token-invalid"), f"a used verification link still works; page says:\n{site.text()}"
    site.check("verify-link-reused", dom=True)

    log_in(site, unique.email, PASSWORD)
    assert unique.pseudonym in site.text("main"), "the member home does not show the pseudonym"
    log_out(site)


# ------------------------------------------------------------------------------------------
# (c) Bad input comes back with what was typed
# ------------------------------------------------------------------------------------------


@LANGS
def test_signup_with_bad_input_keeps_what_was_typed(site, unique, lang):
    site.switch_language(lang)
    site.open("/signup")
    site.check("signup")
    site.fill("email", unique.email)
    site.fill("pseudonym", unique.pseudonym)
    site.fill("real_name", unique.real_name)
    site.fill("password", "short")          # too short
    site.tick("accept_privacy")
    site.tick("accept_rules")               # the terms are not accepted
    site.click_and_wait("#signup-submit")

    assert not site.has("#signup-done"), "sign-up with a short password and no terms succeeded"
    assert site.has(".form-errors"), "no .form-errors summary"
    assert site.has("form#signup-form"), "the form is not shown again"
    assert site.value("email") == unique.email
    assert site.value("pseudonym") == unique.pseudonym
    assert site.value("real_name") == unique.real_name
    assert site.value("password") == "", "the password was sent back into the page"
    assert site.attr("#password", "aria-invalid") == "true", "the short password is not marked aria-invalid"
    assert site.attr("#accept_terms", "aria-invalid") == "true", "the missing terms acceptance is not marked aria-invalid"
    assert site.attr("#confirm_adult", "aria-invalid") == "true", "signing up without confirming being 18 or older is not refused"
    assert site.attr("#email", "aria-invalid") != "true", "a good email is marked invalid"
    site.check("signup-errors", dom=True)

    # Fixing only the password still fails on the missing acceptance, and keeps the values again.
    site.fill("password", PASSWORD)
    site.click_and_wait("#signup-submit")
    assert not site.has("#signup-done"), "sign-up without accepting the terms succeeded"
    assert site.has(".form-errors")
    assert site.value("email") == unique.email and site.value("pseudonym") == unique.pseudonym
    assert site.attr("#accept_terms", "aria-invalid") == "true"
    assert site.attr("#password", "aria-invalid") != "true", "a good password is marked invalid"
    site.check("signup-errors-terms", dom=True)


# ------------------------------------------------------------------------------------------
# (d) Logging in before verifying; resending the mail
# ------------------------------------------------------------------------------------------


@LANGS
def test_login_before_verifying_offers_to_resend_the_mail(site, mailbox, base_url, unique, lang):
    site.switch_language(lang)
    sign_up(site, unique)
    mailbox.wait_for(unique.email, count=1, matching=verify_link(base_url))

    site.open("/login")
    site.check("login")
    submit_login(site, unique.email, PASSWORD)
    assert site.has("#unverified-notice"), f"no #unverified-notice; page says:\n{site.text()}"
    assert not site.has("#member-home") and not site.has("form#logout-form"), "an unverified member got in"
    assert site.has("form#resend-form #resend-submit")
    site.check("login-unverified", dom=True)

    site.click_and_wait("#resend-submit")
    site.check("resend-done", dom=True)
    second = mailbox.wait_for(unique.email, count=2, matching=verify_link(base_url))
    site.open(second.link(verify_link(base_url)))
    assert site.has("#verify-done"), f"the resent link does not verify; page says:\n{site.text()}"
    site.check("verify-done", dom=True)

    log_in(site, unique.email, PASSWORD)
    assert unique.pseudonym in site.text("main"), "the member home does not show the pseudonym"


# ------------------------------------------------------------------------------------------
# (e) Forgotten password
# ------------------------------------------------------------------------------------------


@LANGS
def test_a_forgotten_password_is_reset_through_the_mailed_link(site, mailbox, base_url, unique, lang):
    site.switch_language(lang)
    register(site, mailbox, base_url, unique)

    # An unknown address gets the same answer (no account discovery).
    site.open("/password/forgot")
    site.check("forgot")
    site.fill("email", f"nobody-{unique.pseudonym.lower()}@example.org")
    site.click_and_wait("#forgot-submit")
    assert site.has("#forgot-done"), f"unknown address: no #forgot-done; page says:\n{site.text()}"
    site.check("forgot-done-unknown", dom=True)

    site.open("/password/forgot")
    site.fill("email", unique.email)
    site.click_and_wait("#forgot-submit")
    assert site.has("#forgot-done"), f"no #forgot-done; page says:\n{site.text()}"
    site.check("forgot-done", dom=True)

    link = mailbox.wait_for(unique.email, matching=reset_link(base_url)).link(reset_link(base_url))
    site.open(link)
    assert site.has("form#reset-form"), f"the reset link shows no form; page says:\n{site.text()}"
    site.check("reset-form")
    site.fill("password", NEW_PASSWORD)
    site.fill("password_confirm", NEW_PASSWORD)
    site.click_and_wait("#reset-submit")
    assert site.has("#reset-done"), f"no #reset-done; page says:\n{site.text()}"
    site.check("reset-done", dom=True)

    # The old password no longer works; the email stays in the form.
    site.open("/login")
    submit_login(site, unique.email, PASSWORD)
    assert site.has(".form-errors"), f"the old password was not refused; page says:\n{site.text()}"
    assert not site.has("#member-home") and not site.has("form#logout-form")
    assert site.value("email") == unique.email, "the email was not kept after a wrong password"
    assert site.value("password") == ""
    site.check("login-old-password", dom=True)

    submit_login(site, unique.email, NEW_PASSWORD)
    assert site.has("#member-home"), f"the new password does not log in; page says:\n{site.text()}"
    site.check("member-home")
    log_out(site)

    site.open(link)
    assert site.has("#token-invalid"), f"a used reset link still works; page says:\n{site.text()}"
    assert not site.has("form#reset-form")
    site.check("reset-link-reused", dom=True)


# ------------------------------------------------------------------------------------------
# (f) Members-only pages send visitors to the login page and back
# ------------------------------------------------------------------------------------------


def assert_sent_to_login(site, path):
    parts = urlsplit(site.d.current_url)
    assert parts.path == "/login", f"a visitor opening {path} was not sent to /login but to {site.path}"
    nxt = parse_qs(parts.query).get("next", [""])[0]
    assert unquote(nxt) == path, f"a visitor opening {path} was sent to {site.path} (next should be {path})"


@LANGS
def test_a_visitor_is_sent_to_login_and_brought_back(site, mailbox, base_url, unique, lang):
    site.switch_language(lang)
    for path in ("/admin", "/mod"):
        site.open(path)
        assert_sent_to_login(site, path)
        site.check(f"login-next-{path.strip('/')}")

    register(site, mailbox, base_url, unique)
    site.open("/settings")
    assert_sent_to_login(site, "/settings")
    site.check("login-next-settings")
    submit_login(site, unique.email, PASSWORD)
    assert urlsplit(site.d.current_url).path == "/settings", f"after login the browser is on {site.path}, not /settings"
    assert site.has("form#logout-form"), "not logged in after the login form"
    site.check("settings")


# ------------------------------------------------------------------------------------------
# (g) Members are refused the moderators' and admins' pages
# ------------------------------------------------------------------------------------------


@LANGS
def test_a_member_gets_a_403_page_for_admin_and_mod(site, mailbox, base_url, unique, lang):
    site.switch_language(lang)
    register(site, mailbox, base_url, unique)
    log_in(site, unique.email, PASSWORD)
    for path in ("/admin", "/mod"):
        site.open(path)
        assert urlsplit(site.d.current_url).path == path, f"{path} redirected a member to {site.path}"
        assert site.has('#error-page[data-status="403"]'), \
            f"{path}: no #error-page with data-status=403; page says:\n{site.text()}"
        assert site.has("form#logout-form"), f"{path}: the error page lost the member's header"
        site.check(f"forbidden-{path.strip('/')}")
