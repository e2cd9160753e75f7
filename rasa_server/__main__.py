"""``python -m rasa_server <rasa arguments>``: Rasa's own command line with the project's speed-ups on.

The one way the project starts or tests the Rasa server (rasa_server/__init__.py lists who uses it).
"""

from __future__ import annotations

import sys


def main() -> None:
    import rasa_server

    rasa_server.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
