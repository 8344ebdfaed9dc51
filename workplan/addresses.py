"""Absolute addresses for links that leave the page: feeds, subscription buttons, e-mails.

A request's Host header is whatever the client wrote. Where a deployment names its public
address (production always does, with WORKPLAN_BASE_URL), absolute links are built from that,
so a forged Host can never put another site's address into a feed a shared cache then keeps.
"""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from werkzeug.routing import MapAdapter


def _from_base_url() -> bool:
    return not has_request_context() or current_app.config["LINKS_FROM_BASE_URL"]


def _public_adapter() -> MapAdapter:
    parts = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    return current_app.url_map.bind(
        parts.netloc, url_scheme=parts.scheme or "http", script_name=parts.path or "/"
    )


def external_url(endpoint: str, **values) -> str:
    """The absolute address of a page, on the deployment's public address where it has one."""
    if _from_base_url():
        return _public_adapter().build(endpoint, values, force_external=True)
    return url_for(endpoint, **values, _external=True)


def base_url() -> str:
    """The site's root address without its trailing slash, chosen as external_url chooses."""
    if _from_base_url():
        parts = urlsplit(current_app.config["PUBLIC_BASE_URL"])
        return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    return request.url_root.rstrip("/")
