"""API rate limits: one budget per integration token and one per signed-in person.

Rates are settings (API_THROTTLE_TOKEN_PER_MINUTE, API_THROTTLE_USER_PER_MINUTE); over them the API
answers 429 with Retry-After. Counts live in the default cache (shared Redis in production); with the
cache down they fail open, like the cache itself.
"""

from rest_framework.throttling import SimpleRateThrottle

from .auth import IntegrationPrincipal


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.user, IntegrationPrincipal):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.integration.pk}


class PersonRateThrottle(SimpleRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view):
        user = request.user
        if isinstance(user, IntegrationPrincipal) or not getattr(user, "is_authenticated", False):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}
