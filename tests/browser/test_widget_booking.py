"""Issue 6: a visitor completes a booking through the website widget in a real browser (headless
Debian chromium), and the appointment is in the clinic database.

The visitor answers the way the widget lets them: by clicking the buttons of the latest turn, or by
typing (an age, a name, a phone number). The journey's logic follows tests/e2e/test_rest_journey.py;
the screenshot of the finished booking is kept under results/browser/ (not committed).
"""

from __future__ import annotations

import re
import time

import sqlalchemy as sa

LAUNCHER = "Chat with Demo Skin Clinic's virtual assistant"
MAX_TURNS = 60
REPLY_TIMEOUT_MS = 90_000
# The widget allows 20 messages per conversation in any 60 seconds; stay under it with a margin.
MESSAGES_PER_WINDOW = 18
WINDOW_SECONDS = 61.0
RESULT_MARKERS = ("Possible for you", "clinician needs to see you", "Not suitable", "next step is a consultation")
REFERENCE = re.compile(r"\b([A-Z0-9]{8})\b")

ROOT_JS = "document.querySelector('#clinic-chat-widget').shadowRoot"


def words(text: str) -> str:
    return " ".join(text.split())


class WidgetVisitor:
    """A visitor in the widget: sends by typing or clicking, then waits for the assistant's whole turn."""

    def __init__(self, page) -> None:
        self.page = page
        self.sent_at: list[float] = []
        self.transcript: list[str] = []
        self.text = ""  # the assistant's latest turn, all its messages

    def assistant_count(self) -> int:
        return self.page.locator(".msg.assistant").count()

    def active_buttons(self) -> list[str]:
        """Titles of the clickable reply buttons (only the latest turn's are enabled)."""
        return [words(t) for t in self.page.locator(".log .replies button:enabled").all_inner_texts()]

    def fail(self, why: str) -> None:
        raise AssertionError(why + "\n" + "\n".join(self.transcript[-30:]))

    def wait_for_turn(self, count_before: int) -> str:
        """Waits until new assistant messages are shown and nothing is pending (or the widget shows an alert)."""
        self.page.wait_for_function(
            f"""([count]) => {{
                const root = {ROOT_JS};
                const alert = root.querySelector('[role=alert]');
                if (alert && alert.textContent.trim()) return true;
                return root.querySelectorAll('.msg.assistant').length > count && !root.querySelector('.typing');
            }}""",
            arg=[count_before],
            timeout=REPLY_TIMEOUT_MS,
        )
        alert = words(self.page.locator("[role=alert]").inner_text())
        if alert:
            self.fail(f"the widget shows an alert: {alert}")
        new_messages = self.page.locator(".msg.assistant").all()[count_before:]
        self.text = "\n".join(words(" ".join(m.locator(".bubble").all_inner_texts())) for m in new_messages)
        self.transcript.append(f"< {self.text} {self.active_buttons()}")
        return self.text

    def pace(self) -> None:
        """Keeps under the widget's per-conversation rate limit (a sliding 60-second window)."""
        now = time.monotonic()
        self.sent_at = [t for t in self.sent_at if now - t < WINDOW_SECONDS]
        if len(self.sent_at) >= MESSAGES_PER_WINDOW:
            time.sleep(WINDOW_SECONDS - (now - self.sent_at[0]))
        self.sent_at.append(time.monotonic())

    def type(self, text: str) -> str:
        before = self.assistant_count()
        self.pace()
        self.transcript.append(f"> {text}")
        box = self.page.get_by_role("textbox", name="Your message")
        box.fill(text)
        box.press("Enter")
        return self.wait_for_turn(before)

    def click(self, pattern: str) -> str:
        """Clicks the first enabled reply button whose title matches ``pattern``."""
        titles = self.active_buttons()
        index = next((i for i, title in enumerate(titles) if re.search(pattern, title)), None)
        if index is None:
            self.fail(f"no button matching {pattern!r} among {titles}")
        before = self.assistant_count()
        self.pace()
        self.transcript.append(f"> [{titles[index]}]")
        self.page.locator(".log .replies button:enabled").nth(index).click()
        return self.wait_for_turn(before)

    def has_button(self, pattern: str) -> bool:
        return any(re.search(pattern, title) for title in self.active_buttons())


def answer_screening(visitor: WidgetVisitor) -> None:
    """Age 34, skin type 3, "No" (or "No preference") to every other question, until the result is shown."""
    for _ in range(MAX_TURNS):
        if any(marker in visitor.text for marker in RESULT_MARKERS):
            return
        if re.search(r"how old", visitor.text, re.I):
            visitor.type("34")
        elif visitor.has_button(r"^3 - "):
            visitor.click(r"^3 - ")
        elif visitor.has_button(r"^No( preference)?$"):  # both send /deny, as in the REST journey
            visitor.click(r"^No( preference)?$")
        else:
            visitor.fail("no answer for this question")
    visitor.fail("the screening never ended")


def appointments(workdir, reference: str) -> list[dict]:
    """The appointments behind a reference: one appointment, or every session of a course."""
    engine = sa.create_engine(f"sqlite:///{workdir / 'clinic.db'}", future=True)
    try:
        with engine.connect() as conn:
            rows = (
                conn.execute(
                    sa.text(
                        "select a.status, t.code as treatment from appointments a "
                        "join treatments t on t.id = a.treatment_id "
                        "left join appointment_series s on s.id = a.series_id "
                        "where a.reference = :ref or s.reference = :ref"
                    ),
                    {"ref": reference},
                )
                .mappings()
                .all()
            )
    finally:
        engine.dispose()
    return [dict(row) for row in rows]


def test_visitor_books_microneedling_in_the_widget_and_it_is_in_the_clinic_database(page, assistant, results_dir):
    page.goto(assistant.webhook("webchat", "demo"))
    page.get_by_role("button", name=LAUNCHER).click()
    visitor = WidgetVisitor(page)
    visitor.wait_for_turn(0)  # the greeting
    try:
        visitor.type("which treatment would suit me?")
        visitor.click(r"^Acne scars$")
        visitor.click(r"^Face$")
        if "health" not in visitor.text.lower():
            visitor.fail("consent must come before any health question")
        visitor.click(r"^Yes, that's fine$")
        answer_screening(visitor)
        if "Possible for you" not in visitor.text:
            visitor.fail("a healthy 34-year-old should be offered treatment")

        visitor.click(r"^Book Microneedling$")
        visitor.click(r"^\d+\. |^Just the first session$")
        if visitor.has_button(r"^\d+\. ") and not re.search(r"name", visitor.text, re.I):
            visitor.click(r"^\d+\. ")  # "Just the first session" was chosen: now its time
        if not re.search(r"name", visitor.text, re.I):
            visitor.fail("the assistant should ask for a name once a time is held")
        visitor.type("Sarah Jones")
        visitor.type("+44 7911 123456")
        visitor.click(r"^Confirm$")
        match = REFERENCE.search(visitor.text)
        if not match:
            visitor.fail("no booking reference")
    finally:
        page.screenshot(path=str(results_dir / "widget-booking.png"))

    reference = match.group(1)
    # the visitor's own lines are shown as they were typed or clicked
    visitor_lines = [words(t) for t in page.locator(".msg.visitor .bubble").all_inner_texts()]
    assert visitor_lines[-3:] == ["Sarah Jones", "+44 7911 123456", "Confirm"]
    rows = appointments(assistant.workdir, reference)
    assert rows, "\n".join(visitor.transcript[-20:])
    assert {(r["status"], r["treatment"]) for r in rows} == {("confirmed", "microneedling")}
