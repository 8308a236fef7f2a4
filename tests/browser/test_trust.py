"""Two curators edit one statement from two browsers at once: the second save is refused with
who changed what, keeps their input, and saving again applies it on purpose. Then the History
page reverts. No Content-Security-Policy violation on the way. Screenshots in test-artifacts/."""

import pytest
from playwright.sync_api import expect

from claims.choices import ReviewStatus
from common.roles import CURATORS, EDITORS, roles_ensure, user_assign_role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"
VIEWPORT = {"width": 1366, "height": 900}


def _signed_in(browser, live_server, username, violations):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    page = context.new_page()
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def test_two_browsers_edit_one_statement(live_server, browser, screenshots):
    roles_ensure()
    user_assign_role(user=factories.UserFactory(username="maryam"), role=CURATORS)
    user_assign_role(user=factories.UserFactory(username="reza"), role=EDITORS)
    statement = factories.StatementFactory(status=ReviewStatus.DRAFT, translation="")
    url = f"{live_server.url}/admin/claims/statement/{statement.pk}/change/"
    violations = []
    maryam = _signed_in(browser, live_server, "maryam", violations)
    reza = _signed_in(browser, live_server, "reza", violations)

    maryam.goto(url)
    reza.goto(url)
    maryam.fill("textarea[name=translation]", "Indirect talks are nothing new.")
    maryam.locator("input[name=_continue]").click()
    expect(maryam.locator(".messagelist .success")).to_be_visible()

    reza.fill("textarea[name=translation]", "Indirect Iran–US talks are not new.")
    reza.locator("input[name=_continue]").click()
    expect(reza.locator("ul.errorlist.nonfield")).to_be_visible()
    message = reza.locator("ul.errorlist.nonfield").inner_text()
    assert "maryam" in message and "English translation" in message
    assert reza.locator("textarea[name=translation]").input_value() == "Indirect Iran–US talks are not new."
    reza.screenshot(path=str(screenshots / "admin-stale-save-refused.png"), full_page=True)
    statement.refresh_from_db()
    assert statement.translation == "Indirect talks are nothing new."

    # Having read the message, Reza saves again on purpose.
    reza.locator("input[name=_continue]").click()
    expect(reza.locator(".messagelist .success")).to_be_visible()
    statement.refresh_from_db()
    assert (statement.translation, statement.version) == ("Indirect Iran–US talks are not new.", 3)

    # Maryam reverts Reza's wording from the History page.
    maryam.goto(f"{url.removesuffix('change/')}history/")
    maryam.screenshot(path=str(screenshots / "admin-history.png"), full_page=True)
    maryam.locator("a", has_text="Revert to this version").first.click()
    # The confirmation shows the value as it is now and as it will be after the revert, in that order.
    row = maryam.locator("tr", has=maryam.locator("th", has_text="English translation"))
    expect(row.locator("td").nth(0)).to_have_text("Indirect Iran–US talks are not new.")
    expect(row.locator("td").nth(1)).to_have_text("Indirect talks are nothing new.")
    # The admin capitalises its table headers.
    headers = [text.casefold() for text in maryam.locator("#content-main thead th").all_inner_texts()]
    assert headers[1:] == ["now", "after the revert"]
    maryam.screenshot(path=str(screenshots / "admin-revert-confirmation.png"), full_page=True)
    maryam.locator("input[type=submit][value=Revert]").click()
    expect(maryam.locator(".messagelist .success")).to_be_visible()
    statement.refresh_from_db()
    assert statement.translation == "Indirect talks are nothing new."
    assert violations == []
