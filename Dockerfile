# Production image: one image for web, Celery worker and Celery beat.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PEERNET_VAR_DIR=/var/lib/peernet \
    STATIC_ROOT=/app/staticfiles

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/peernet peernet \
    && mkdir -p /var/lib/peernet && chown peernet /var/lib/peernet

WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY . .
# collectstatic needs no secrets or database; a throwaway key lets settings load.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --no-input \
    && python manage.py compilemessages -l es

USER peernet
EXPOSE 8000
CMD ["gunicorn", "peernet.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
