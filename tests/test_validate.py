"""Validate stage: the content model, with every problem located and explained."""

from __future__ import annotations

import datetime as dt

from backstory.facts.load import LoadedFile, load_file
from backstory.facts.models import Event, Story
from backstory.facts.validate import validate_file


def validate(collection: str, stem: str, text: str) -> tuple[object, list[str]]:
    loaded = load_file(text.encode(), f"content/{collection}/{stem}.yml", collection)
    assert isinstance(loaded, LoadedFile)
    fact, problems = validate_file(loaded)
    return fact, [p.format() for p in problems]


STORY = "title: T\nsummary: S\npublished: 2020-01-16\n"


def test_valid_story_becomes_a_typed_model() -> None:
    fact, problems = validate("stories", "s", STORY + "updated: 2020-02-01\ntopics: [a]\n")
    assert problems == []
    assert isinstance(fact.model, Story)  # type: ignore[attr-defined]
    assert fact.model.published == dt.date(2020, 1, 16)  # type: ignore[attr-defined]
    assert fact.model.draft is False  # type: ignore[attr-defined]


def test_event_dates_keep_their_precision() -> None:
    for given in ("2020", "2020-01", "2020-01-13"):
        fact, problems = validate(
            "events", "e", f"title: T\ndate: {given}\nstories: [s]\nsources: [x]\n"
        )
        assert problems == []
        assert isinstance(fact.model, Event)  # type: ignore[attr-defined]
        assert fact.model.date == given  # type: ignore[attr-defined]


def test_every_problem_of_a_file_is_reported_with_its_position() -> None:
    _, problems = validate(
        "actors",
        "ana",
        "name: Ana\ntype: persn\nsumary: hi\nrole: 5\naliases: Ana L\nlinks:\n  - url: https://x.org\n",
    )
    assert problems == [
        "content/actors/ana.yml:2:7: error: type: 'persn' is not allowed; write one of: person, organization (did you mean 'person'?)",
        "content/actors/ana.yml:4:7: error: role: expected text, got the number 5",
        "content/actors/ana.yml:5:10: error: aliases: expected a list, got 'Ana L'; write each item on its own line starting with '- '",
        "content/actors/ana.yml:7:5: error: links[0]: missing required field 'title'",
        "content/actors/ana.yml:3:1: error: unknown field 'sumary' (did you mean 'summary'?)",
    ]


def test_missing_required_field_points_at_the_mapping() -> None:
    _, problems = validate("stories", "s", "title: T\nsummary: S\n")
    assert problems == ["content/stories/s.yml:1:1: error: missing required field 'published'"]


def test_impossible_and_malformed_dates() -> None:
    _, problems = validate("stories", "s", "title: T\nsummary: S\npublished: 2024-02-30\n")
    assert problems == [
        "content/stories/s.yml:3:12: error: published: 2024-02-30 is not a real date: day is out of range for month"
    ]
    _, problems = validate("stories", "s", "title: T\nsummary: S\npublished: 16/01/2020\n")
    assert problems == [
        "content/stories/s.yml:3:12: error: published: expected a date written YYYY-MM-DD, such as 2020-01-16 (got '16/01/2020')"
    ]
    _, problems = validate(
        "events", "e", "title: T\ndate: January 2020\nstories: [s]\nsources: [x]\n"
    )
    assert problems == [
        "content/events/e.yml:2:7: error: date: expected a date written YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year is known (got 'January 2020')"
    ]


def test_updated_before_published_is_an_error() -> None:
    _, problems = validate("stories", "s", STORY + "updated: 2020-01-01\n")
    assert problems == [
        "content/stories/s.yml:4:10: error: updated (2020-01-01) is before published (2020-01-16)"
    ]


def test_id_field_must_match_the_file_name() -> None:
    _, problems = validate("stories", "s", "id: other\n" + STORY)
    assert problems == [
        "content/stories/s.yml:1:5: error: id 'other' differs from the file name 's'; they must match"
    ]


def test_file_name_must_be_a_slug() -> None:
    _, problems = validate("stories", "My_Story", STORY)
    assert problems == [
        "content/stories/My_Story.yml:1:1: error: the file name 'My_Story' is not a valid id: use "
        "lowercase letters, digits and single hyphens, at most 80 characters (rename it to 'my-story')"
    ]


def test_unsafe_links_are_errors() -> None:
    _, problems = validate("sources", "src", "title: T\npublisher: P\nurl: javascript:alert(1)\n")
    assert problems == [
        "content/sources/src.yml:3:6: error: links may only use http, https or mailto, not 'javascript:'"
    ]
    _, problems = validate(
        "stories", "s", STORY + "unknowns:\n  - '[click](data:text/html,hi) or <vbscript:x>'\n"
    )
    assert problems == [
        "content/stories/s.yml:5:14: error: links may only use http, https or mailto, not 'data:'",
        "content/stories/s.yml:5:37: error: links may only use http, https or mailto, not 'vbscript:'",
    ]


def test_nested_unknown_field_suggests_the_right_one() -> None:
    _, problems = validate("stories", "s", STORY + "questions:\n  - question: Q\n    anser: A\n")
    assert problems == [
        "content/stories/s.yml:5:5: error: questions[0]: missing required field 'answer'",
        "content/stories/s.yml:6:5: error: questions[0]: unknown field 'anser' (did you mean 'answer'?)",
    ]
