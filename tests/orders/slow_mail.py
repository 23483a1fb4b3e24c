"""An e-mail backend for fault tests: it marks each attempt, takes its time (so a test can
kill the worker mid-send), and marks each completed send, in SLOW_MAIL_DIR."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["SLOW_MAIL_DIR"])
        attempt = uuid.uuid4().hex
        (folder / f"started-{attempt}").write_text(email_messages[0].subject)
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "4")))
        (folder / f"sent-{attempt}").write_text(email_messages[0].subject)
        return len(email_messages)
