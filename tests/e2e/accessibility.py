"""Every page state the browser tests visit is checked twice: by axe-core for WCAG 2.1 A and AA, and
for English (words or internal codes) reaching a Swedish page. Either fails the test.

axe-core comes from the npm registry into ``tests/e2e/axe/node_modules`` (``make test`` installs it;
this module does when it is missing), pinned by ``tests/e2e/axe/package-lock.json``. The pages'
Content-Security-Policy allows scripts from the site only, so axe is served to the browser under the
site's own address by Playwright's request routing, never injected inline and never with the policy
switched off.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from playwright.async_api import Page, Route

from tests.support.language import english_in

AXE_DIR = Path(__file__).parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__tests__/axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TEXT_OF_PAGE = """() => {
    const code = new Set(["CODE", "PRE", "KBD", "SAMP", "SCRIPT", "STYLE"]);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        let inCode = false;
        for (let e = node.parentElement; e && !inCode; e = e.parentElement) inCode = code.has(e.tagName);
        if (!inCode) parts.push(node.textContent);
    }
    return parts.join(" ");
}"""
"""Every text of the page a person can be shown or read out (hidden and screen-reader text too), except code."""
CHECKED: list[str] = []
"""The page states checked in this test run, in order (a test can assert it saw the ones it meant to)."""


@cache
def axe_source() -> str:
    """axe-core's script, installed from the npm registry on first use when ``make test`` has not."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is missing: the accessibility checks need axe-core from the npm registry", pytrace=False)
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(AXE_DIR)],
            check=True,
            timeout=600,
        )
    return AXE_JS.read_text(encoding="utf-8")


async def _serve_axe(route: Route) -> None:
    await route.fulfill(body=axe_source(), content_type="application/javascript")


async def check_page(page: Page, state: str, data: frozenset[str] = frozenset()) -> None:
    """Fail unless the page, as it is now, has no WCAG 2.1 A/AA violation and no English in its text.

    ``data``: words on the page that are data, not language (a username with a code-like name).
    """
    await page.route(f"**{AXE_PATH}", _serve_axe)
    await page.add_script_tag(url=AXE_PATH)
    result = await page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }""",
        WCAG,
    )
    assert not result, f"{state}: WCAG 2.1 A/AA violations: {result}"
    english = english_in(await page.evaluate(TEXT_OF_PAGE), data)
    assert not english, f"{state}: English or codes on a Swedish page: {sorted(set(english))}"
    CHECKED.append(state)
