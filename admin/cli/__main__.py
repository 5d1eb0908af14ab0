"""``python -m admin.cli``: the ``inspections`` command."""

from admin.cli import main

main()
