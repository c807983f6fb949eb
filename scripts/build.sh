#!/bin/sh
# The image's build steps, in one place: the Dockerfile runs them, and so does `make prodcheck` in CI
# (no Docker engine there), so what CI checks is what the image does.
#   build.sh deps     install the runtime requirements
#   build.sh static   collect static files with production settings (DEBUG off, hashed names; a
#                     missing file that a stylesheet or script names fails the build)
set -eu
PYTHON="${PYTHON:-python}"
case "${1:-}" in
  deps)
    "$PYTHON" -m pip install --no-cache-dir --quiet -r requirements.txt
    ;;
  static)
    # Settings need a secret to load; a throwaway strong one, the real one comes at run time.
    secret="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')"
    DJANGO_DEBUG=false DJANGO_SECRET_KEY="$secret" "$PYTHON" manage.py collectstatic --noinput --clear -v0
    ;;
  *)
    echo "usage: $0 deps|static" >&2
    exit 2
    ;;
esac
