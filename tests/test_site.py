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
    from .search_index import indexed

    records = indexed(real_site / "site")
    assert records["/actors/ryan-luby/"]["meta"]["title"] == "Ryan S. Luby"
    quote = records["/actors/ryan-luby/#quote-luby-honored-three-requests"]
    assert quote["meta"]["kind"] == "Quote"
    assert "we honored three of those requests" in quote["content"]
    assert {f"/actors/{q['speaker']}/#quote-{qid}" for qid, q in facts("quotes").items()} <= set(
        records
    )
    for collection, kind in (("claims", "Claim"), ("figures", "Figure")):
        for fact_id in facts(collection):
            anchor = f"/stories/denver-ice-subpoenas/#{collection[:-1]}-{fact_id}"
            assert records[anchor]["meta"]["kind"] == kind, anchor
            assert records[anchor]["filters"]["topic"] == [
                "Immigration",
                "Denver",
                "Sanctuary cities",
            ]
    claim = records["/stories/denver-ice-subpoenas/#claim-denver-gave-ice-no-cooperation"]
    assert claim["meta"]["title"].split(":")[0] in (
        "Confirmed",
        "Disputed",
        "Not verified",
        "False",
    )
    # The editors' guide is for the newsroom (its front matter leaves it out of the search).
    assert "/editors-guide/" not in records and "/about/" in records


def html_pages(real_site: Path) -> list[Path]:
    return sorted((real_site / "site").rglob("*.html"))


def test_the_sources_page_is_newest_first_then_by_publisher_each_entry_complete(
    real_site: Path,
) -> None:
    soup = page(real_site, "sources/index.html")
    entries = soup.select("section.bs-source")
    assert len(entries) == len(facts("sources"))
    keys = []
    for entry in entries:
        source = facts("sources")[entry["id"].removeprefix("source-")]
        shown = entry.select_one(".bs-source-facts")
        assert shown is not None, entry["id"]
        text = shown.get_text(" ", strip=True)
        assert source["publisher"] in text, entry["id"]
        assert (source.get("type") or "type not given").replace("-", " ") in text
        if source.get("date"):
            assert shown.find("time")["datetime"] == str(source["date"])
        else:
            assert "undated" in text
        link = shown.find("a")
        assert (link["href"] if link else None) == source.get("url"), entry["id"]
        date = str(source.get("date") or "")
        keys.append(
            (
                date == "",
                "".join(chr(0x10FFFF - ord(c)) for c in date),
                source["publisher"].casefold(),
                source["title"].casefold(),
            )
        )
    assert keys == sorted(keys), "newest first, then by publisher and title; undated last"
    headings = [entry.find("h2").get_text(strip=True).rstrip("¶") for entry in entries]
    assert len(set(headings)) == len(headings), headings


def test_a_title_two_publishers_share_says_which_is_which() -> None:
    import datetime as dt
    from types import SimpleNamespace

    from backstory.facts.models import Source
    from backstory.site.pages import source_headings

    sources = {
        "a": Source(title="Judge rules", publisher="Gazette", date=dt.date(2024, 1, 2)),
        "b": Source(title="Judge rules", publisher="Courier"),
        "c": Source(title="Judge Rules", publisher="Gazette", date=dt.date(2024, 1, 3)),
        "d": Source(title="Other", publisher="Gazette"),
    }
    headings = source_headings(SimpleNamespace(sources=sources), list(sources))
    assert headings == {
        "a": "Judge rules (Gazette, January 2, 2024)",
        "b": "Judge rules (Courier)",
        "c": "Judge Rules (Gazette, January 3, 2024)",
        "d": "Other",
    }


def test_every_page_links_its_feeds_and_has_a_footer_that_names_the_site(real_site: Path) -> None:
    for path in html_pages(real_site):
        if "pagefind" in path.parts:
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        feeds = soup.select('head link[rel="alternate"][type="application/atom+xml"]')
        hrefs = sorted(link["href"].rsplit("/", 1)[-1] for link in feeds)
        assert hrefs == ["corrections.xml", "feed.xml"], path
        footer = soup.select_one("footer.bs-footer")
        assert footer is not None, path
        assert "Backstory" in footer.select_one(".bs-footer__name").get_text(), path
        links = {a.get_text(strip=True) for a in footer.select(".bs-footer__links a")}
        assert {"About", "Corrections policy", "Stories feed", "Corrections feed"} <= links, path


def test_the_404_page_has_the_navigation_search_and_a_way_on(real_site: Path) -> None:
    soup = page(real_site, "404.html")
    assert soup.select_one("[data-bs-search]") is not None
    assert soup.select_one("nav.md-nav--primary") is not None
    assert soup.find("h1").get_text(strip=True) == "Page not found"
    way_on = {a.get_text(strip=True) for a in soup.select("article li a")}
    assert {"All stories", "Topics", "Timeline", "Sources"} <= way_on
    for link in soup.select("article li a"):
        assert link["href"].startswith("/"), "absolute: the 404 page is served at any depth"


def test_topics_are_shown_as_written_in_the_stories(real_site: Path) -> None:
    soup = page(real_site, "topics/index.html")
    names = [a.get_text(strip=True) for a in soup.select("article li a")]
    assert names == ["Denver", "Immigration", "Sanctuary cities"]
    story = page(real_site, STORY).get_text()
    assert "Sanctuary cities" in story and "Sanctuary-cities" not in story


def test_everyone_in_whos_who_is_described(real_site: Path) -> None:
    soup = page(real_site, STORY)
    heading = soup.find(id="whos-who")
    items = heading.find_next("ul").find_all("li", recursive=False)
    assert len(items) > 10
    for item in items:
        name = item.find("a").get_text(strip=True)
        described = item.get_text(" ", strip=True).removeprefix(name).lstrip(" ,")
        assert len(described) > 3, f"{name} has no description in Who's who"
    organisation = facts("actors")["city-of-denver"]
    if not organisation.get("role"):
        line = next(i for i in items if i.find("a").get_text(strip=True) == organisation["name"])
        assert "organization" in line.get_text() or organisation.get("summary")


def test_the_previews_problem_banner_is_not_in_a_published_site(real_site: Path) -> None:
    from backstory.build.engine.server import PROBLEMS_FILE

    for html in sorted((real_site / "site").rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        assert PROBLEMS_FILE not in text and "backstory-preview-problems" not in text, html
    assert not list((real_site / "site").rglob(PROBLEMS_FILE))
