"""Logs at the default level hold no message text, names, phone numbers or health answers.

Runs after the other live tests (file order), so the logs hold everything they did: hundreds of
conversations, a killed instance, the action servers down, PostgreSQL restarted. Every persona's name
starts with "Zelphine Quarrington", every phone number with 020 7946 0, and the typed texts are known.
"""

from __future__ import annotations

import re

import pytest
from journeys import FAQ_QUESTIONS

pytestmark = pytest.mark.live

FORBIDDEN = {
    "a visitor's name": re.compile(r"Zelphine|Quarrington", re.I),
    # The visitors' numbers (020 7946 0xxx) but the clinic's own (0123), which the assistant tells everyone.
    "a phone number": re.compile(r"7946\W{0,3}0(?!123)\d{3}"),
    "an age typed in the screening": re.compile(r"I am \d\d years old", re.I),
    "a concern or area answered": re.compile(r"acne_scars|\"face\"", re.I),
    **{f"a question typed ({q})": re.compile(re.escape(q), re.I) for q in FAQ_QUESTIONS},
    "the booking request": re.compile(r"I'd like to book microneedling", re.I),
}


def test_logs_hold_no_message_text_or_personal_data(topology):
    logs = sorted(p for p in topology.log_dir.iterdir() if p.is_file())
    assert any(p.name.startswith("rasa-") for p in logs) and any(p.name.startswith("actions-") for p in logs)
    assert sum(p.stat().st_size for p in logs) > 0
    found = []
    for path in logs:
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            for what, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    found.append(f"{path.name}:{number}: {what}: {line[:200]}")
    assert not found, f"{len(found)} log lines with personal data or message text:\n" + "\n".join(found[:20])
