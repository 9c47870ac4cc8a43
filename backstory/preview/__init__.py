"""The preview of ``backstory serve``: keeps a site's facts, graph and generated files in memory
and, after an edit, redoes only what the edit touched.

``tracking`` records what each generated file read of the graph; ``session`` holds the state
between edits and writes only the files whose text changed. The engine side (the warm engine
and the development server) is in ``build/engine``, the only code that imports the engine.

May import: the core modules, ``facts``, ``project``, ``site`` and ``build``.
"""
