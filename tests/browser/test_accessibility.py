"""axe-core finds no serious or critical accessibility problem on any kind of page, in light and
in dark mode, on a desktop and on a phone, and in the open search."""

from __future__ import annotations

import pytest

from .pages import DESKTOP_WIDTH, EVERY_KIND, MISSING, PHONE_WIDTH

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


WIDTHS = {"desktop": DESKTOP_WIDTH, "phone": PHONE_WIDTH}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("path", [*EVERY_KIND, MISSING])
def test_no_serious_axe_violations(browsing, path: str, scheme: str, width: str) -> None:
    page = browsing.new_page(width=WIDTHS[width], height=844, dark=scheme == "dark")
    response = page.goto(browsing.base_url + path, wait_until="load")
    assert response is not None and response.status == (404 if path == MISSING else 200)
    shown = page.locator("body").get_attribute("data-md-color-scheme")
    assert shown == SCHEMES[scheme], f"{path} shows the {shown!r} palette in {scheme} mode"
    violations = [v for v in browsing.axe(page) if v["impact"] in BLOCKING]
    assert not violations, f"axe-core on {path} ({scheme}, {width}):\n{describe(violations)}"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_serious_axe_violations_in_open_search(browsing, scheme: str, width: str) -> None:
    page, results = browsing.search(
        "subpoenas", width=WIDTHS[width], height=844, dark=scheme == "dark"
    )
    results.nth(2).wait_for()
    page.locator("pagefind-filter-dropdown[filter=kind] button.pf-dropdown-trigger").click()
    violations = [v for v in browsing.axe(page) if v["impact"] in BLOCKING]
    assert not violations, f"axe-core on the open search ({scheme}):\n{describe(violations)}"
