"""The outbox worker: releases expired holds and delivers notifications to the clinic's target.

    python -m actions.booking.worker            # run until stopped (SIGINT/SIGTERM)
    python -m actions.booking.worker --once     # one round, e.g. from cron

The target comes from clinic.yml's ``clinic.notifications`` (default: files under var/outbox/).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from actions.booking import store
from actions.booking.db import session_factory
from actions.booking.outbox import DeliveryReport, NotificationConfigError, Target, deliver_due, target_from_settings
from actions.booking.store import Clock, utc_now
from actions.content import ContentError
from actions.content.clinic import load_clinic

log = logging.getLogger("actions.booking.worker")


def expire_holds(factory: sessionmaker, clock: Clock = utc_now) -> int:
    with factory() as session, session.begin():
        return store.release_expired_holds(session, store.checked_now(clock))


def run_once(factory: sessionmaker, target: Target, clock: Clock = utc_now) -> tuple[int, DeliveryReport]:
    released = expire_holds(factory, clock)
    return released, deliver_due(factory, target, clock)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.booking.worker", description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="do one round and exit")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between rounds (default 30)")
    parser.add_argument("--clinic-file", help="clinic.yml to read the notification target from")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        target = target_from_settings(load_clinic(args.clinic_file).notifications)
    except (ContentError, NotificationConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    factory = session_factory()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    log.info("delivering notifications to %s", target.description)
    while True:
        try:
            released, report = run_once(factory, target)
            if released or report.delivered or report.failed:
                log.info(
                    "released %d expired hold(s); delivered %d, failed %d", released, report.delivered, report.failed
                )
        except DBAPIError as exc:
            log.error("clinic database unavailable, will retry: %s", exc.__class__.__name__)
            if args.once:
                return 1
        if args.once or stop.wait(args.interval):
            return 0


if __name__ == "__main__":
    sys.exit(main())
