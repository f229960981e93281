"""Status codes and the exceptions the Tally client raises."""

from __future__ import annotations

import enum


class StatusCode(enum.IntEnum):
    """Status codes of the protocol, numbered as gRPC numbers them (proto enum `tally.v1.Code`)."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def from_value(cls, value: int) -> StatusCode:
        """Return the code for `value`, or UNKNOWN for a value this client does not know."""
        try:
            return cls(value)
        except ValueError:
            return cls.UNKNOWN


class TallyError(Exception):
    """A request failed: the server replied with a non-OK status, or the client could not complete it.

    `code` is a StatusCode (an int, with `.name` such as "INVALID_ARGUMENT") and
    `message` is the server's or the client's explanation.
    """

    def __init__(self, code: int, message: str) -> None:
        self.code = StatusCode.from_value(code)
        self.message = message
        super().__init__(f"{self.code.name} ({int(self.code)}): {message}")

    @property
    def code_name(self) -> str:
        """Name of the status code, such as "RESOURCE_EXHAUSTED"."""
        return self.code.name


class TallyConnectionError(TallyError, ConnectionError):
    """The connection failed or closed before the reply arrived (status UNAVAILABLE).

    The request may or may not have been processed. Retrying RecordUsage is
    safe when every record has an event id, because the server stores each
    event id once.
    """

    def __init__(self, message: str) -> None:
        super().__init__(StatusCode.UNAVAILABLE, message)


class TallyTimeoutError(TallyError, TimeoutError):
    """No reply arrived within the timeout (status DEADLINE_EXCEEDED).

    The request stays in flight on the server and may still be processed.
    """

    def __init__(self, message: str) -> None:
        super().__init__(StatusCode.DEADLINE_EXCEEDED, message)
