"""The Rasa server's own code: its input channels, its stores and its speed-ups, behind one switch.

    rasa_server.channels   the public input channels (web chat, Twilio, Telegram, Messenger) and the
                           local REST channel, named by class path in credentials.yml
    rasa_server.stores     the tracker store (endpoints.yml) and the production lock store
    rasa_server.speedups   replacements of Rasa 3.6.21 internals that answer exactly as Rasa does, faster
                           (each module says what it replaces and which test compares it with stock Rasa)

The speed-ups are switched on by ``install()``, and by nothing else: importing a channel or a store
changes nothing in Rasa. Every entry point of the project that serves or tests the assistant runs the
Rasa server through ``python -m rasa_server`` (Rasa's own command line, after ``install()``): `make run`,
`make shell`, the test stories, `make eval`, `make bench`, `make profile` (in-process), the production
topology and its image. tests/rasa_server/test_switch.py holds them to it.

The replacements reach into Rasa's private methods, so they are installed on the one Rasa release they
were written and tested against (``RASA_VERSION``); on any other ``install()`` leaves Rasa untouched,
says so in the log, and the server runs stock Rasa (slower, same answers).
"""

from __future__ import annotations

import logging

RASA_VERSION = "3.6.21"

log = logging.getLogger(__name__)


def installed_rasa_version() -> str:
    import rasa

    return rasa.__version__


def install(rasa_version: str | None = None) -> bool:
    """Switch the speed-ups on (idempotent). Returns False, changing nothing, on another Rasa release."""
    version = installed_rasa_version() if rasa_version is None else rasa_version
    if version != RASA_VERSION:
        log.warning(
            "rasa_server: Rasa %s is installed; the speed-ups are written for Rasa %s only and stay off",
            version,
            RASA_VERSION,
        )
        return False
    from rasa_server.speedups import SPEEDUPS

    for speedup in SPEEDUPS:
        speedup.install()
    log.debug("rasa_server: %d speed-ups installed on Rasa %s", len(SPEEDUPS), version)
    return True


__all__ = ["RASA_VERSION", "install", "installed_rasa_version"]
