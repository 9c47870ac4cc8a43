"""The site's pages and data: from the fact graph to the text of every file of the docs folder.

``plan`` lists a job per file (``outputs``): the pages (``pages``, through the Jinja2
``templates`` with a ``context`` per page), the Atom ``feeds``, the JSON ``api`` and the
schema.org data (``jsonld``). ``urls`` is the one definition of where everything is shown.

Pure: nothing here writes a file, reads the clock or depends on an order it did not set.
May import: the core modules, ``facts`` and ``project``.
"""
