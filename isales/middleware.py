"""Small response and session middleware the settings switch on (isales/settings.py)."""

import time

from django.conf import settings

# The product uses none of these browser features; a page (or an injected script) may not either.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()"
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


SEEN_KEY = "_seen"


def session_seen_at_login(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[SEEN_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Sessions expire after SESSION_COOKIE_AGE seconds without a request (idle expiry).

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would cost a database write per
    page; instead the session is re-saved, which moves its expiry forward, once it is older than
    SESSION_IDLE_REFRESH seconds. A session therefore ends between AGE - REFRESH and AGE after its
    last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and request.user.is_authenticated:
            now = int(time.time())
            if now - int(session.get(SEEN_KEY, 0)) >= settings.SESSION_IDLE_REFRESH:
                session[SEEN_KEY] = now
        return self.get_response(request)
