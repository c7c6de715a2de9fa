"""The one exception type a user sees: a one-line message, never a traceback."""


class NsssError(Exception):
    """A problem with the user's input or request, explained in one line.

    ``exit_code`` is what the command-line interface returns for it
    (1 nothing usable / run failed, 2 usage error).
    """

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class UsageError(NsssError):
    def __init__(self, message: str):
        super().__init__(message, exit_code=2)


class Stopped(KeyboardInterrupt):
    """The run was told to stop (SIGTERM, as a scheduler or ``kill`` sends it): it
    unwinds like Ctrl-C, so each stage leaves its last good outputs in place."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
