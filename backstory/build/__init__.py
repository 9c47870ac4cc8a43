"""The build: the generated files on disk, the engine that makes HTML of them, and publishing.

``write`` is the only code that writes generated files (atomically); ``parse_cache`` keeps the
check's parsed files in ``.backstory/``; ``engine/`` is the adapter to MkDocs and Material, the
only code that imports them; ``search`` runs Pagefind over a built site for the reader's
search; ``swap`` puts a finished site in place in one step; ``pipeline``
joins check, render, write and engine into the library's build; ``deploy`` publishes a built
site to a git branch.

May import: the core modules, ``facts``, ``project`` and ``site``.
"""
