"""The pages every browser test visits: one of each kind the site generates."""

HOME = "/"
STORY = "/stories/denver-ice-subpoenas/"
ACTOR = "/actors/ryan-luby/"
EVENT = "/events/magistrate-rules-for-ice/"
TIMELINE = "/timeline/"
SOURCES = "/sources/"

PAGES = [HOME, STORY, ACTOR, EVENT, TIMELINE, SOURCES]

PHONE_WIDTH = 390
DESKTOP_WIDTH = 1280
TOPIC = "/topics/sanctuary-cities/"
ABOUT = "/about/"
ARCHIVE = "/archive/"
MISSING = "/no/such/page/"
"""An address the site does not have: the static host serves the site's 404 page."""

EVERY_KIND = [*PAGES, TOPIC, ABOUT, ARCHIVE]
"""A page of every kind the site has (the 404 page is reached at MISSING)."""
LONG_PAGES = [STORY, ACTOR, EVENT]
