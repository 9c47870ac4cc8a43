"""End to end: the repository's own site, built and read back with an HTML parser."""

from __future__ import annotations

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
    assert caption.find("time")["datetime"] == "2020-01-16"
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
        target = real_site / "site" / "stories" / "denver-ice-subpoenas" / href / "index.html"
        assert target.resolve().is_file(), href


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
    assert headings[:3] == ["What we know", "Timeline", "Disputed"]
    for expected in ("What we don't know", "What happens next", "Who's who", "Quotes", "Sources"):
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
    from .search_index import indexed

    records = indexed(real_site / "site")
    assert records["/actors/ryan-luby/"]["meta"]["title"] == "Ryan S. Luby"
    quote = records["/actors/ryan-luby/#quote-luby-honored-three-requests"]
    assert quote["meta"]["kind"] == "Quote"
    assert "we honored three of those requests" in quote["content"]
    assert {f"/actors/{q['speaker']}/#quote-{qid}" for qid, q in facts("quotes").items()} <= set(records)
    # The editors' guide is for the newsroom (its front matter leaves it out of the search).
    assert "/editors-guide/" not in records and "/about/" in records

