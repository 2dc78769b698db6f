"""core.ratelimit: a fixed window per address and scope that starts at the address's first request."""

from django.test import RequestFactory

from ftzsafety.core import ratelimit


def _request(address: str = "203.0.113.7"):
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = address
    return request


def test_the_limit_counts_per_address_and_scope(monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    allowed = [ratelimit.allow(_request(), scope="a", limit=3, window=60) for _ in range(5)]
    assert allowed == [True, True, True, False, False]
    assert ratelimit.allow(_request("203.0.113.8"), scope="a", limit=3, window=60)  # another address
    assert ratelimit.allow(_request(), scope="b", limit=3, window=60)  # another scope


def test_the_window_starts_at_the_first_request_and_says_when_it_ends(monkeypatch):
    clock = [1_000_059.0]  # one second before a minute boundary: no aligned window may reset the count here
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    assert ratelimit.allow(_request(), scope="a", limit=1, window=60)
    clock[0] += 2
    assert not ratelimit.allow(_request(), scope="a", limit=1, window=60)
    assert ratelimit.retry_after(_request(), scope="a", window=60) == 59
    assert ratelimit.retry_after(_request("198.51.100.1"), scope="a", window=60) == 1  # no window open
