"""The preview of ``backstory serve``: keeps a site's facts, graph and generated files in memory
and, after an edit, redoes only what the edit touched.

``session`` holds the state between edits, renders again only the files that read what
changed (``build/tracking``, which the build's render cache uses too) and writes only the files
whose text changed. The engine side (the warm engine and the development server) is in
``build/engine``, the only code that imports the engine.

May import: the core modules, ``facts``, ``project``, ``site`` and ``build``.
"""
