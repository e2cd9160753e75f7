"""The website widget in a real browser (headless Debian chromium), talking to the real assistant.

A screenshot of each journey is kept under results/browser/ (not committed).
"""

from __future__ import annotations

import re

import pytest

from actions.knowledge import load_knowledge

LAUNCHER = "Chat with Demo Skin Clinic's virtual assistant"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def words(text: str) -> str:
    return " ".join(text.split())


def topic_answers(kb, topic: str) -> set[str]:
    content = kb.topic_content(topic)
    return {words(kb.render(content.answer))} | {words(kb.render(v.answer)) for v in content.variants}


def assistant_bubbles(page):
    return page.locator(".msg.assistant .bubble")


def send(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Your message")
    box.fill(text)
    box.press("Enter")


def wait_for_replies(page, count_before: int) -> str:
    """Waits until the assistant has answered (more bubbles, no typing indicator); the newest text."""
    bubbles = assistant_bubbles(page)
    page.wait_for_function(
        """([count]) => {
            const root = document.querySelector('#clinic-chat-widget').shadowRoot;
            return root.querySelectorAll('.msg.assistant .bubble').length > count && !root.querySelector('.typing');
        }""",
        arg=[count_before],
    )
    return words(bubbles.last.inner_text())


def open_demo(page, assistant) -> None:
    page.goto(assistant.webhook("webchat", "demo"))
    page.get_by_role("button", name=LAUNCHER).click()


def test_visitor_asks_clicks_a_button_and_finds_the_conversation_after_a_reload(page, assistant, kb, results_dir):
    open_demo(page, assistant)
    dialog = page.get_by_role("dialog", name="Demo Skin Clinic")
    greeting = wait_for_replies(page, 0)
    assert greeting == words(kb.message("greet"))
    assert dialog.get_by_text("Virtual assistant, not a clinician", exact=True).is_visible()
    assert dialog.get_by_text("We keep this conversation to answer you", exact=False).is_visible()
    assert dialog.locator(".actions").get_by_role("button", name="Talk to a person").is_visible()

    before = assistant_bubbles(page).count()
    send(page, "does microneedling hurt?")
    assert wait_for_replies(page, before) in topic_answers(kb, "pain")
    # the greeting's buttons belonged to the previous turn
    assert dialog.get_by_role("button", name="Downtime").is_disabled()

    before = assistant_bubbles(page).count()
    send(page, "hello")
    assert wait_for_replies(page, before) == words(kb.message("greet"))
    before = assistant_bubbles(page).count()
    dialog.get_by_role("button", name="Downtime").last.click()
    answer = wait_for_replies(page, before)
    assert answer in topic_answers(kb, "downtime")
    assert page.locator(".msg.visitor .bubble").last.inner_text() == "Downtime"

    page.reload()
    dialog = page.get_by_role("dialog", name="Demo Skin Clinic")  # it stays open across the reload
    page.wait_for_function(
        "() => document.querySelector('#clinic-chat-widget').shadowRoot.querySelectorAll('.msg').length >= 7"
    )
    visitor_lines = [words(t) for t in page.locator(".msg.visitor .bubble").all_inner_texts()]
    assert visitor_lines == ["does microneedling hurt?", "hello", "Downtime"]
    assert words(assistant_bubbles(page).last.inner_text()) == answer
    page.screenshot(path=str(results_dir / "widget-conversation.png"))

    page.get_by_role("button", name="Start over").click()
    page.wait_for_function(
        "() => { const r = document.querySelector('#clinic-chat-widget').shadowRoot;"
        " return r.querySelectorAll('.msg.visitor').length === 0 && r.querySelectorAll('.msg.assistant').length === 1; }"
    )
    assert dialog.get_by_role("button", name="Downtime").is_enabled()


def test_widget_is_usable_with_the_keyboard_and_labelled_for_screen_readers(page, assistant):
    page.goto(assistant.webhook("webchat", "demo"))
    launcher = page.get_by_role("button", name=LAUNCHER)
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Demo Skin Clinic")
    dialog.wait_for()
    wait_for_replies(page, 0)
    # focus goes to the message box; the conversation is a polite live region
    assert (
        page.evaluate("() => document.querySelector('#clinic-chat-widget').shadowRoot.activeElement.id") == "cc-input"
    )
    log = page.get_by_role("log", name="Conversation")
    assert log.get_attribute("aria-live") == "polite"
    assert page.get_by_role("status").count() == 1
    # every control has a name, and Tab reaches the buttons and the message box in order
    names = page.evaluate(
        """() => [...document.querySelector('#clinic-chat-widget').shadowRoot
                 .querySelectorAll('button:not([hidden]), textarea')]
                 .filter(e => e.offsetParent !== null)
                 .map(e => e.getAttribute('aria-label') || e.textContent.trim() || (e.labels[0] || {}).textContent)"""
    )
    assert all(names) and "Talk to a person" in names and "Close chat" in names
    page.keyboard.press("Shift+Tab")  # from the message box back to "Talk to a person"
    focused = page.evaluate("() => document.querySelector('#clinic-chat-widget').shadowRoot.activeElement.textContent")
    assert focused == "Talk to a person"
    page.keyboard.press("Escape")
    assert dialog.is_hidden()
    assert launcher.get_attribute("aria-expanded") == "false"
    assert (
        page.evaluate("() => document.querySelector('#clinic-chat-widget').shadowRoot.activeElement.className")
        == "launcher"
    )


def test_widget_fills_a_phone_screen(browser, assistant, results_dir):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_demo(page, assistant)
        wait_for_replies(page, 0)
        box = page.get_by_role("dialog", name="Demo Skin Clinic").bounding_box()
        assert box is not None and box["width"] == 375 and abs(box["height"] - 667) <= 1
        message_box = page.get_by_role("textbox", name="Your message").bounding_box()
        assert message_box is not None and message_box["y"] + message_box["height"] <= 667
        assert page.locator(".actions").get_by_role("button", name="Talk to a person").is_visible()
        page.screenshot(path=str(results_dir / "widget-phone.png"))
    finally:
        context.close()


def test_text_from_the_assistant_is_never_html(page, assistant):
    """Whatever the assistant (or a visitor) writes is shown as text: no element injection."""
    open_demo(page, assistant)
    wait_for_replies(page, 0)
    send(page, '<img src=x onerror="window.pwned=1"> see https://example.com/a?b=1')
    visitor = page.locator(".msg.visitor .bubble").last
    assert "<img src=x" in visitor.inner_text()
    assert visitor.locator("img").count() == 0
    assert visitor.locator("a").get_attribute("href") == "https://example.com/a?b=1"
    assert page.evaluate("() => window.pwned") is None
    assert re.search(r"\S", visitor.inner_text())
