"""Issue 14, row 9: security headers on every answer, API docs from the app's own files, a bearer scheme in
OpenAPI, and /metrics only for the server itself or the holder of the metrics token."""

from __future__ import annotations

import re

from tests.security.conftest import METRICS_TOKEN, Site, bearer


async def test_every_kind_of_answer_carries_the_headers(site: Site) -> None:
    await site.add_user("anna", "inspector")
    answers = {
        "api": await site.http.get("/api/v1/cases", headers=await site.as_("anna")),
        "api error": await site.http.get("/api/v1/cases"),
        "not found": await site.http.get("/no/such/page"),
        "page": await site.http.get("/login"),
        "openapi": await site.http.get("/openapi.json"),
        "docs": await site.http.get("/docs"),
        "health": await site.http.get("/healthz"),
        "too large": await site.http.post("/api/v1/auth/token", content=b"x" * (2 << 20)),
    }
    for name, answer in answers.items():
        headers = answer.headers
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["cache-control"] == "no-store", name
        assert headers["x-frame-options"] == "DENY", name
        assert "frame-ancestors 'none'" in headers["content-security-policy"], name
        assert headers["referrer-policy"] == "same-origin", name
    assert answers["too large"].status_code == 413


async def test_swagger_ui_is_served_by_the_app_itself(site: Site) -> None:
    docs = await site.http.get("/docs")
    assert docs.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert sources and all(s.startswith("/docs/") for s in sources), sources  # nothing from a CDN
    assert "<script>" not in docs.text  # no inline script: the CSP allows none
    for source in sources:
        asset = await site.http.get(source)
        assert asset.status_code == 200 and len(asset.content) > 100, source
    assert "script-src" not in docs.headers["content-security-policy"]  # default-src 'self' governs scripts


async def test_openapi_declares_the_bearer_scheme(site: Site) -> None:
    spec = (await site.http.get("/openapi.json")).json()
    schemes = spec["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"] == "bearer" for s in schemes.values())
    cases = spec["paths"]["/api/v1/cases"]["get"]
    assert cases["security"] and "security" not in spec["paths"]["/api/v1/auth/token"]["post"]


async def test_metrics_only_on_loopback_or_with_the_token(site: Site) -> None:
    assert (await site.http.get("/metrics")).status_code == 200  # the server itself
    async with site.client("203.0.113.9") as outsider:
        refused = await outsider.get("/metrics")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        assert (await outsider.get("/metrics", headers=bearer("wrong"))).status_code == 403
        allowed = await outsider.get("/metrics", headers=bearer(METRICS_TOKEN))
        assert allowed.status_code == 200 and "inspections" in allowed.text
