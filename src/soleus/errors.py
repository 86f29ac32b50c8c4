"""The error types a user sees: a short message, no traceback; exit 2 (bad input) or 3
(refused for safety)."""


class SoleusError(Exception):
    """A problem the user can fix (bad input, bad file, unknown id).

    The CLI prints ``str(error)`` on one line and exits with :attr:`exit_code`;
    the web app turns it into a 4xx response with the same message.
    """

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class NotFound(SoleusError):
    """An id that names nothing (exercise, routine, session)."""


class SafetyRefusal(SoleusError):
    """Refused on safety grounds (a rest or stopped day), not because of a typo.

    The CLI prints the message as one plain line (no "error:") and exits 3; the web
    answers 409 with the same words.
    """

    exit_code = 3


class NotSignedIn(SoleusError):
    """No valid sign-in (wrong password, unknown or stale cookie or token): HTTP 401."""


class Forbidden(SoleusError):
    """Signed in, but this is not allowed (a read-only token writing, a patient
    inviting): HTTP 403."""


class Gone(SoleusError):
    """A one-time link that was used already or has expired: HTTP 410."""


class TooManyAttempts(SoleusError):
    """Rate limited (HTTP 429); ``retry_after`` is in whole seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
