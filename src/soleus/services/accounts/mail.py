"""Optional email (SMTP settings) for invitation and reset links."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from soleus.errors import SoleusError
from soleus.settings import Settings


def configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send(settings: Settings, *, to: str, subject: str, body: str) -> bool:
    """Send one plain-text mail; False when no SMTP server is configured."""
    if not configured(settings):
        return False
    message = EmailMessage()
    message["From"] = settings.smtp_from or f"soleus@{settings.smtp_host}"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise SoleusError(f"could not send the mail to {to}: {error}") from None
    return True
