"""The one error type a user sees: a short message, no traceback, exit code 2."""


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
