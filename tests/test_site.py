"""End to end: the repository's own site, built and read back with an HTML parser."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from .conftest import REPO

STORY = "stories/denver-ice-subpoenas/index.html"


def page(real_site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((real_site / "site" / path).read_text(encoding="utf-8"), "html.parser")


def facts(collection: str) -> dict[str, dict]:
    folder = REPO / "content" / collection
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yml"))}


def normalise(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


def test_every_quote_appears_verbatim_on_the_story_page(real_site: Path) -> None:
    soup = page(real_site, STORY)
    shown = {normalise(b.get_text()) for b in soup.select("figure.bs-quote blockquote")}
    for quote_id, quote in facts("quotes").items():
        assert normalise(quote["text"]) in shown, quote_id


def test_quotes_carry_speaker_date_medium_and_source(real_site: Path) -> None:
    soup = page(real_site, STORY)
    figure = soup.find(id="quote-luby-honored-three-requests")
    assert figure is not None
    caption = figure.find("figcaption")
    assert caption.find("a", href="../../actors/ryan-luby/").get_text() == "Ryan S. Luby"
    assert "public information officer" in caption.get_text()
    assert "in an email" in caption.get_text()
    # The email was sent "earlier this week" than the AP's report: only the month is known.
    assert caption.find("time")["datetime"] == "2020-01"
    assert caption.find("time").get_text() == "January 2020"
    marker = caption.select_one("sup.bs-cite a")
    number = marker["href"].removeprefix("#source-")
    source_item = soup.find(id=f"source-{number}")
    assert "Denver officials won't hand over information sought by ICE" in source_item.get_text()


def test_the_dispute_is_shown_side_by_side(real_site: Path) -> None:
    soup = page(real_site, STORY)
    dispute = soup.select_one(".bs-dispute")
    assert dispute is not None
    texts = [normalise(b.get_text()) for b in dispute.select("blockquote")]
    assert len(texts) == 2
    assert texts[0].startswith("Since we have no cooperation")
    assert texts[1].startswith("Contrary to what ICE is saying")


def test_actor_links_resolve_to_actor_pages(real_site: Path) -> None:
    soup = page(real_site, STORY)
    actor_links = {a["href"] for a in soup.select("article a[href^='../../actors/']")}
    assert "../../actors/ryan-luby/" in actor_links
    for href in actor_links:
        page_href, _, anchor = href.partition("#")
        target = real_site / "site" / "stories" / "denver-ice-subpoenas" / page_href / "index.html"
        assert target.resolve().is_file(), href
        if anchor:
            assert f'id="{anchor}"' in target.resolve().read_text(), href


def test_citations_are_numbered_and_listed(real_site: Path) -> None:
    soup = page(real_site, STORY)
    numbers = [int(a.get_text().strip("[]")) for a in soup.select("sup.bs-cite a")]
    listed = [li["id"] for li in soup.select("ol.bs-sources li")]
    assert listed == [f"source-{n}" for n in range(1, len(listed) + 1)]
    assert set(numbers) == set(range(1, len(listed) + 1))
    # Numbers are given in order of first citation.
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == sorted(first_seen)


def test_story_sections_and_dates(real_site: Path) -> None:
    soup = page(real_site, STORY)
    headings = [h.get_text(" ", strip=True).rstrip("¶").strip() for h in soup.select("article h2")]
    assert headings[:5] == [
        "What we know",
        "Key figures",
        "Timeline",
        "Disputed",
        "Claims we checked",
    ]
    for expected in (
        "What we don't know",
        "What happens next",
        "What happened to what we expected",
        "Who's who",
        "Quotes",
        "Sources",
    ):
        assert expected in headings
    times = soup.select(".bs-dates time")
    assert [t["datetime"] for t in times] == ["2020-01-16", "2020-04-21"]
    timeline = soup.find(id="timeline").find_next("ol")
    dates = [li.find("time")["datetime"] for li in timeline.find_all("li", recursive=False)]
    assert dates == sorted(dates) and "2020-04-20" in dates


def test_every_page_kind_exists(real_site: Path) -> None:
    site = real_site / "site"
    for actor_id in facts("actors"):
        assert (site / "actors" / actor_id / "index.html").is_file()
    for event_id in facts("events"):
        assert (site / "events" / event_id / "index.html").is_file()
    for path in ("index.html", "timeline/index.html", "sources/index.html", "about/index.html"):
        assert (site / path).is_file()
    home = page(real_site, "index.html")
    assert home.find("a", href="stories/denver-ice-subpoenas/") is not None


def test_search_index_holds_names_and_quotes(real_site: Path) -> None:
    index = json.loads((real_site / "site" / "search" / "search_index.json").read_text())
    text = " ".join(doc["text"] + " " + doc["title"] for doc in index["docs"])
    assert "Ryan S. Luby" in text
    assert "we honored three of those requests" in text


def test_the_previews_problem_banner_is_not_in_a_published_site(real_site: Path) -> None:
    from backstory.build.engine.server import PROBLEMS_FILE

    for html in sorted((real_site / "site").rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        assert PROBLEMS_FILE not in text and "backstory-preview-problems" not in text, html
    assert not list((real_site / "site").rglob(PROBLEMS_FILE))
