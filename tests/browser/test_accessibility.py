"""axe-core finds no serious or critical accessibility problem, in light and in dark mode."""

from __future__ import annotations

import pytest

from .pages import PAGES

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
SCHEMES = {"light": "default", "dark": "slate"}


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_axe_violations(browsing, path: str, scheme: str) -> None:
    page = browsing.open(path, dark=scheme == "dark")
    shown = page.locator("body").get_attribute("data-md-color-scheme")
    assert shown == SCHEMES[scheme], f"{path} shows the {shown!r} palette in {scheme} mode"
    violations = [v for v in browsing.axe(page) if v["impact"] in BLOCKING]
    assert not violations, f"axe-core on {path} ({scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_serious_axe_violations_in_open_search(browsing, scheme: str) -> None:
    page, _ = browsing.search("subpoenas", dark=scheme == "dark")
    violations = [v for v in browsing.axe(page) if v["impact"] in BLOCKING]
    assert not violations, f"axe-core on the open search ({scheme}):\n{describe(violations)}"
