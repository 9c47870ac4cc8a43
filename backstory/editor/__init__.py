"""The editors' tools: a commented starter fact file (``scaffold``), a new site (``starter``)
and the JSON Schemas of the fact files that editors' tools use (``schema``).

May import: the core modules, ``facts`` and ``build.write`` (the only writer).
"""
