"""The text rules: link and citation forms, safe links, and escaping."""

from __future__ import annotations

import pytest

from backstory.facts.markup import (
    Reference,
    escape_text,
    find_link_urls,
    find_references,
    plain_text,
    render_markdown,
    unsafe_url_reason,
)


def test_find_references() -> None:
    text = "[[ana]] met [[ben|the engineer]] [@minutes] and [[ cal ]]."
    assert find_references(text) == [
        Reference("link", "ana", None, 0),
        Reference("link", "ben", "the engineer", 12),
        Reference("cite", "minutes", None, 33),
        Reference("link", "cal", None, 48),
    ]


def test_render_markdown_resolves_forms_and_escapes_html() -> None:
    rendered = render_markdown(
        "[[ana]] said <b>no</b> {: onclick=x} [@src] <https://example.org>",
        link=lambda fact_id, words: f"[{words or fact_id.upper()}]({fact_id}.md)",
        cite=lambda source_id: f"<sup>{source_id}</sup>",
    )
    assert rendered == (
        "[ANA](ana.md) said &lt;b>no&lt;/b> \\{: onclick=x\\}<sup>src</sup> <https://example.org>"
    )


def test_escape_text_neutralises_markup() -> None:
    assert escape_text("a *b* <i>c</i> [d](e) & {f}\nnext") == (
        "a \\*b\\* &lt;i&gt;c&lt;/i&gt; \\[d\\](e) &amp; \\{f\\} next"
    )


def test_plain_text() -> None:
    assert (
        plain_text(
            "[[ana]] and [[ben|him]] agreed [@src]. *Really* [x](https://y).", name_of=str.upper
        )
        == "ANA and him agreed. Really x."
    )


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org", True),
        ("http://example.org", True),
        ("mailto:desk@example.org", True),
        ("../actors/ana/", True),
        ("#sources", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,hi", False),
        ("vbscript:x", False),
        ("&#106;avascript:alert(1)", False),
        ("//evil.example", False),
    ],
)
def test_unsafe_url_reason(url: str, safe: bool) -> None:
    assert (unsafe_url_reason(url) is None) is safe


def test_find_link_urls_sees_every_link_form() -> None:
    text = "[a](https://a.org) and <mailto:x@y.z>\n[ref]: javascript:bad\n"
    assert [url for url, _ in find_link_urls(text)] == [
        "https://a.org",
        "mailto:x@y.z",
        "javascript:bad",
    ]
