"""The filings' clock. Services read the time here so that the demo can replay a realistic history through the
very same services (`with clock.frozen(at): …`), instead of writing rows behind their back."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("filings_clock", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    if timezone.is_naive(at):
        raise ValueError("the filings clock needs an aware datetime")
    token = _frozen.set(at)
    try:
        yield
    finally:
        _frozen.reset(token)
