"""The Celery app. Queues, routing and the beat schedule are declared in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2b.settings")

app = Celery("c2b")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
