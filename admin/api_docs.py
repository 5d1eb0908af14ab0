"""``/docs``: Swagger UI served by the app itself (PyPI swagger-ui-bundle), so it works on a closed network.

No file comes from a CDN and no script is inline: the page loads the bundle and a small
initialiser from ``/docs/assets``, which the Content Security Policy of ``admin.security`` allows.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} – API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""
INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true
  });
});
"""


def install(app: FastAPI) -> None:
    """Serve Swagger UI at ``/docs`` from the bundled files (create the app with ``docs_url=None``)."""
    page = PAGE.format(title=app.title)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/docs/init.js", include_in_schema=False)
    async def init() -> Response:
        return Response(INIT, media_type="text/javascript")

    app.mount("/docs/assets", StaticFiles(directory=Path(swagger_ui_path)), name="swagger-ui")
