"""The engine adapter: the only code that imports MkDocs or Material.

``pages`` is the engine's build step by step (read a page, write it through the theme, the
site-wide templates), the one path by which pages become HTML; ``site_build`` runs those steps
for a whole site, shared among forked workers and with the page cache; ``publish`` builds a
site folder with them (what ``backstory build`` runs), or with the engine's own ``build()``
when a site's plugins or theme need it; ``warm`` keeps the engine loaded for the preview and
rebuilds only the pages an edit wrote; ``server`` is the preview's development server, with
``watch``'s file events. Every use of the engine's private functions is in ``internals``,
which names the versions it was written for and says so when others are installed.

May import: the core modules, ``project`` and, of ``build``, ``write``, ``cache``,
``page_cache``, ``workers`` and ``search``.
"""
