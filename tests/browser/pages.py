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
