# One image runs web, worker and beat (docker-compose.yml picks the command).
# The build steps live in scripts/build.sh, which CI runs too (`make prodcheck`).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_DEBUG=false
WORKDIR /app

COPY requirements.txt .
COPY scripts/build.sh scripts/build.sh
RUN sh scripts/build.sh deps

COPY . .
RUN sh scripts/build.sh static

RUN useradd --create-home app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "isales.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
