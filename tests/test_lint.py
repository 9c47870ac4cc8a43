"""Lint stage: warnings for facts that are valid but probably not meant."""

from __future__ import annotations

import datetime as dt

from backstory.facts.lint import lint_facts
from backstory.facts.load import load_content
from backstory.facts.validate import validate_facts


def lint(root, today=dt.date(2024, 4, 10)) -> list[str]:
    files, _ = load_content(root)
    facts, problems = validate_facts(files)
    assert problems == []
    return [d.format() for d in lint_facts(facts, today=today)]


def test_small_site_warnings(small_site) -> None:
    assert lint(small_site) == [
        "content/events/bridge-built.yml:1:1: warning: this event names no actors: add who took part under 'actors'",
        "content/events/secret-plan.yml:1:1: warning: this event names no actors: add who took part under 'actors'",
        "content/events/secret-plan.yml:2:7: warning: this event is dated 2024-04-01, after its source 'gazette-bridge' was published (2024-03-05); check the date or the source",
        "content/sources/unused-memo.yml:1:1: warning: nothing cites this source",
        'content/stories/draft-story.yml:1:1: warning: this story has no questions: its page will have no "What we know"',
    ]


def test_every_kind_of_warning(make_site) -> None:
    long_quote = " ".join(["word"] * 121)
    root = make_site(
        {
            "content/actors/ana.yml": "name: Ana\ntype: person\n",
            "content/actors/lonely.yml": "name: Lonely\ntype: person\n",
            "content/sources/src.yml": "title: T\npublisher: P\n",
            "content/events/vote.yml": "title: V\ndate: 2024-05-02\nstories: [s]\nsources: [src]\nactors: [ana]\n",
            "content/quotes/long.yml": f"text: {long_quote}\nspeaker: ana\ndate: 2024-05-01\nsource: src\nevent: vote\n",
            "content/stories/s.yml": (
                "title: T\nsummary: S\npublished: 2024-04-01\nquestions:\n  - question: Q\n    answer: A\n"
                "next:\n  - A hearing on April 3, 2024 [@src].\n  - A vote on 2099-01-01.\n"
            ),
        }
    )
    assert lint(root, today=dt.date(2024, 6, 1)) == [
        "content/actors/lonely.yml:1:1: warning: nothing refers to this actor",
        "content/quotes/long.yml:1:7: warning: this quote is 121 words long; quote at most 120 words and summarise the rest",
        "content/stories/s.yml:3:12: warning: the story's published date (2024-04-01) is older than its newest fact (2024-05-02); set updated: 2024-05-02",
        'content/stories/s.yml:8:5: warning: this "next" item names 2024-04-03, which has passed; move it into the story or update it',
    ]


def test_placeholders_left_in_a_file_are_flagged(make_site) -> None:
    root = make_site(
        {
            "content/actors/ana.yml": "name: Ana\ntype: person\nrole: 'TODO: her job'\n",
            "content/stories/s.yml": "title: T\nsummary: '[[ana]]'\npublished: 2024-04-01\nquestions:\n  - question: Q\n    answer: A\n",
        }
    )
    assert lint(root) == [
        "content/actors/ana.yml:3:8: warning: this file still holds a TODO placeholder; replace it before publishing"
    ]


def test_todo_in_a_comment_is_a_note_not_a_placeholder(make_site) -> None:
    root = make_site(
        {
            "content/actors/ana.yml": "# Replace each TODO, then run backstory check\nname: Ana\ntype: person\n",
            "content/stories/s.yml": "title: T\nsummary: '[[ana]]'\npublished: 2024-04-01\nquestions:\n  - question: Q\n    answer: A\n",
        }
    )
    assert lint(root) == []
