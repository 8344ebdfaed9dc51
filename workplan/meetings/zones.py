"""The viewer's time zone: from their profile, else from their browser, else UTC."""

from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from workplan.services.checks import time_zones

# Written by static/timezone.js from Intl.DateTimeFormat().resolvedOptions().timeZone.
COOKIE = "tz"


@dataclass(frozen=True)
class ViewerZone:
    """An IANA zone name and where it came from: "profile", "browser" or "default"."""

    name: str
    source: str

    @property
    def explanation(self) -> str:
        """Where the zone came from, in words."""
        if self.source == "profile":
            return _("from your profile")
        if self.source == "browser":
            return _("from your browser")
        return _("your browser has not told us its time zone")


def viewer_zone() -> ViewerZone:
    """The zone to show times in; a cookie that is not an IANA name is ignored."""
    if current_user.is_authenticated:
        profile = getattr(current_user, "timezone", None)
        if profile and profile in time_zones():
            return ViewerZone(profile, "profile")
    cookie = request.cookies.get(COOKIE, "")
    if cookie and len(cookie) <= 64 and cookie in time_zones():
        return ViewerZone(cookie, "browser")
    return ViewerZone("UTC", "default")
