"""``python -m backstory``: the same as the ``backstory`` command."""

from .cli import main

main()
