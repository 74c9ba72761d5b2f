"""The ``with`` statement for objects that own something to close."""

from __future__ import annotations

from types import TracebackType

from typing_extensions import Self


class ClosesOnExit:
    """``with obj:`` hands back ``obj`` and calls its ``close()`` on the way out, error or not."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
