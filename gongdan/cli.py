"""The ``gongdan`` command: the project's own commands and Django's.

``gongdan demo``, ``gongdan serve``, ``gongdan import FILE.csv``,
``gongdan token USERNAME`` and ``gongdan report`` are management commands
of the project; any other word runs the Django command of that name
(``gongdan migrate``, ``gongdan createsuperuser``, ``gongdan check``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongdan.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["gongdan", *(args or ["help"])])


if __name__ == "__main__":
    main()
