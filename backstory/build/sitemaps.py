"""One sitemap for every edition: the pages of the editions in other languages (each built with
a sitemap of its own under ``/<language>/``) are added to the site's ``sitemap.xml``."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from .write import atomic_write

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def merge_sitemaps(site: Path, languages: list[str]) -> None:
    """Add the ``<url>`` entries of each edition's sitemap to the root one, in order: the main
    edition's, then each language's."""
    root_file = site / "sitemap.xml"
    if not root_file.is_file():
        return
    ET.register_namespace("", SITEMAP_NAMESPACE)
    tree = ET.parse(root_file)
    urlset = tree.getroot()
    for language in languages:
        edition_file = site / language / "sitemap.xml"
        if edition_file.is_file():
            for url in ET.parse(edition_file).getroot():
                urlset.append(url)
    ET.indent(urlset, space="  ")
    data = ET.tostring(urlset, encoding="unicode", xml_declaration=False)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n' + data + "\n").encode("utf-8")
    atomic_write(root_file, text)
    compressed = site / "sitemap.xml.gz"
    if compressed.is_file():  # as the engine writes it beside: gzip without a timestamp
        atomic_write(compressed, gzip.compress(text, mtime=0))
