"""Channel-aware rendering of the assistant's messages: length limits and numbered options."""

from __future__ import annotations

import re
from typing import Sequence

# Message length limits of the providers (characters; counted here in UTF-16 code units, which is
# what Telegram counts and never less than what Twilio and Meta count).
TWILIO_MAX_CHARS = 1600
TELEGRAM_MAX_CHARS = 4096
MESSENGER_MAX_CHARS = 2000
MESSENGER_MAX_QUICK_REPLIES = 13
MESSENGER_MAX_QUICK_REPLY_TITLE = 20

# Where a long text is best cut, best first: between paragraphs, lines, sentences, words.
_CUT_PATTERNS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _longest_prefix_within(text: str, limit: int) -> int:
    """The number of characters of ``text`` that fit in ``limit`` UTF-16 code units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def split_text(text: str, limit: int) -> list[str]:
    """Splits ``text`` into parts of at most ``limit`` UTF-16 code units, cutting at the most
    natural place in the second half of each part (paragraph, line, sentence, word, else anywhere)."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text.strip()
    while rest:
        fits = max(1, _longest_prefix_within(rest, limit))  # a lone emoji never stalls the loop
        if fits >= len(rest):
            parts.append(rest)
            break
        window = rest[: fits + 1]  # one character more, so a separator right at the limit counts
        cut_start, cut_end = fits, fits
        for pattern in _CUT_PATTERNS:
            matches = [m for m in pattern.finditer(window) if fits // 2 <= m.start() <= fits]
            if matches:
                cut_start, cut_end = matches[-1].start(), matches[-1].end()
                break
        parts.append(rest[:cut_start].rstrip())
        rest = rest[cut_end:].lstrip()
    return [part for part in parts if part]


def plain_links(text: str) -> str:
    """Markdown links as "title (url)", for channels that show plain text."""
    return _MARKDOWN_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)


def reply_hint(numbers: Sequence[int]) -> str:
    """ "Reply 1.", "Reply 1 or 2.", "Reply 1, 2 or 3." """
    words = [str(n) for n in numbers]
    if not words:
        return ""
    if len(words) == 1:
        return f"Reply {words[0]}."
    return f"Reply {', '.join(words[:-1])} or {words[-1]}."


def numbered_options(text: str, titles: Sequence[str], first_number: int = 1) -> str:
    """The text followed by the options as a numbered list and how to answer."""
    numbers = list(range(first_number, first_number + len(titles)))
    lines = [f"{number}. {title}" for number, title in zip(numbers, titles)]
    body = text.strip()
    menu = "\n".join(lines)
    return f"{body}\n\n{menu}\n\n{reply_hint(numbers)}" if body else f"{menu}\n\n{reply_hint(numbers)}"


def short_title(title: str, limit: int) -> str:
    """A button title cut to ``limit`` characters with an ellipsis when it is longer."""
    title = title.strip()
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
