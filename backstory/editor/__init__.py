"""The editors' tools: a commented starter fact file (``scaffold``), a new site (``starter``,
which installs the Backstory that made it, as ``installation`` reads it) and the JSON Schemas of
the fact files that editors' tools use (``schema``).

May import: the core modules, ``facts`` and ``build.write`` (the only writer).
"""
