# The one image for web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Dependencies first, so that code changes reuse this layer. pyproject.toml declares no
# packages of its own, so installing "." installs exactly the dependencies.
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .

COPY . .
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-only STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --no-input -v 0 \
 && useradd --system --uid 10001 c2b && mkdir -p /app/media && chown c2b /app/media
USER c2b

EXPOSE 8000
CMD ["gunicorn", "c2b.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--limit-request-line", "8190"]
