"""The facts: from the files under ``content/`` to the graph every output is made from.

Stages, in order: ``load`` (the only YAML code: files to located plain data), ``validate``
(the content model of ``models`` and ``collections``: typed facts, every error at once),
``resolve`` (references, membership, drafts: the frozen ``graph``), ``lint`` (warnings), and
``check``, which runs them all. ``markup`` holds the text rules of fact fields, ``dates`` the
partial dates, ``lookup`` finds facts by their words (``backstory find``).

May import: the package's core modules (``diagnostics``, ``errors``, ``text``) and each other,
down the stages. Nothing here writes a file.
"""
