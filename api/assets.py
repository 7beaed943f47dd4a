"""Cache lifetimes of the dashboard's static files.

Dash links every file of ``assets/`` with ``?m=<modification time>`` and names its component
bundles by version, and ``assets/lazy/`` holds files named by content hash: such a URL always
means the same bytes, so browsers may keep them for a year without asking again. Anything
requested without its version (``/assets/favicon.ico``) is revalidated on every use instead.
The pages themselves carry the signed-in user's figures (``components.first_screen``): kept by
that browser only, and asked for again on every visit.
"""

from __future__ import annotations

import dash
from flask import Flask, Response, request

YEAR = 31536000
IMMUTABLE = f"public, max-age={YEAR}, immutable"
REVALIDATE = "no-cache"
PAGE = "private, no-cache"


def init_asset_caching(server: Flask, dash_app: dash.Dash, lazy_dir: str) -> None:
    prefix = dash_app.config.requests_pathname_prefix + dash_app.config.assets_url_path.strip("/")
    prefix += "/"

    @server.after_request
    def cache_assets(response: Response) -> Response:
        path = request.path
        if request.method not in ("GET", "HEAD"):
            return response
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = PAGE
            response.vary.add("Cookie")
            return response
        if not path.startswith(prefix):
            return response
        if response.status_code not in (200, 304):
            return response
        versioned = "m" in request.args or path.startswith(f"{prefix}{lazy_dir}/")
        response.cache_control.no_cache = None
        response.headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
        return response
