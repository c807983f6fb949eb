"""Startup guards for production settings: refuse a secret that an attacker could guess.

Pure functions (no Django imports) so settings.py can call them before Django is set up.
"""

# Values copied from examples, tutorials and this project's own files: never a production secret.
KNOWN_WEAK_SECRETS = frozenset(
    {
        "change-me",
        "changeme",
        "change_me",
        "secret",
        "secret-key",
        "secretkey",
        "password",
        "django",
        "insecure",
        "dev-only-insecure-key",
        "collectstatic-only",
        "your-secret-key",
        "your-secret-key-here",
        "replace-me",
    }
)
MIN_SECRET_LENGTH = 50
MIN_SECRET_UNIQUE_CHARACTERS = 5


def weak_secret_reason(secret: str) -> str | None:
    """Why this SECRET_KEY must not run production, or None when it is acceptable."""
    value = (secret or "").strip()
    if value.lower() in KNOWN_WEAK_SECRETS:
        return "it is a published example value"
    if value.startswith("django-insecure"):
        return "it is Django's generated development key"
    if len(value) < MIN_SECRET_LENGTH:
        return f"it is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(value)) < MIN_SECRET_UNIQUE_CHARACTERS:
        return f"it has fewer than {MIN_SECRET_UNIQUE_CHARACTERS} different characters"
    return None
