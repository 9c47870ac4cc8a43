"""The fact collections: one registry of their folders, kinds and models, which every stage reads.

Why one registry: the list of collections was once written in four places, and a new collection
then has to be added everywhere by hand; here it is added once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Actor, Claim, Event, Fact, Figure, Quote, Source, Story


@dataclass(frozen=True)
class Collection:
    """One kind of fact: its folder under ``content/``, its singular name and its model."""

    name: str
    """The folder under ``content/`` and the graph's mapping of these facts: ``actors``."""
    kind: str
    """One of them, as messages say it: ``actor``."""
    model: type[Fact]
    has_page: bool
    """Whether each fact has a page of its own."""
    linkable: bool
    """Whether prose may link a fact with ``[[id]]`` (to its page, or where a page shows it)."""


COLLECTIONS: tuple[Collection, ...] = (
    Collection("actors", "actor", Actor, has_page=True, linkable=True),
    Collection("sources", "source", Source, has_page=False, linkable=False),
    Collection("events", "event", Event, has_page=True, linkable=True),
    Collection("quotes", "quote", Quote, has_page=False, linkable=False),
    Collection("stories", "story", Story, has_page=True, linkable=True),
    Collection("figures", "figure", Figure, has_page=False, linkable=True),
    Collection("claims", "claim", Claim, has_page=False, linkable=True),
)
"""Every collection, in the order the contract lists them (version 1, then version 2's)."""

NAMES: tuple[str, ...] = tuple(c.name for c in COLLECTIONS)
BY_NAME: dict[str, Collection] = {c.name: c for c in COLLECTIONS}
BY_KIND: dict[str, Collection] = {c.kind: c for c in COLLECTIONS}
PAGE_COLLECTIONS: tuple[str, ...] = tuple(c.name for c in COLLECTIONS if c.has_page)
"""Collections whose facts have a page of their own."""
LINKABLE_COLLECTIONS: tuple[str, ...] = tuple(c.name for c in COLLECTIONS if c.linkable)
"""Collections whose facts prose may link with ``[[id]]``."""


def kind_of(collection: str) -> str:
    """The singular of a collection's name: ``actors`` -> ``actor``."""
    return BY_NAME[collection].kind
