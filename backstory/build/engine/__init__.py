"""The engine adapter: the only code that imports MkDocs or Material.

``publish`` builds a site folder with the engine's public API (what ``backstory build`` runs);
``warm`` keeps the engine loaded for the preview and rebuilds only the pages an edit wrote;
``server`` is the preview's development server, with ``watch``'s file events. Every use of
the engine's private functions is in ``internals``, which names the versions it was written
for and says so when others are installed.

May import: the core modules, ``project``, ``build.write`` and ``build.search``.
"""
