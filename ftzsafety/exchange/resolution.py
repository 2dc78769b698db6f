"""Entity resolution (issue 4, item 3): which registered enterprise a department row is about.

By credit code first (valid and registered); else by normalised name with a similarity score: at or above
AUTO_LINK the row links; at or above CANDIDATE it is queued for an officer to confirm among the candidates; below,
the enterprise is unknown and becomes a pending registration. Registered enterprises are read once per import
through enterprises.selectors.
"""

from dataclasses import dataclass, field
from typing import Any

from ftzsafety.exchange.choices import CaseStatus, ResolutionStatus
from ftzsafety.exchange.names import normalise_name, similarity

AUTO_LINK = 0.92
CANDIDATE = 0.6
MAX_CANDIDATES = 5


@dataclass
class Resolution:
    status: str
    enterprise_id: int | None
    name_key: str
    candidates: list[tuple[int, float]] = field(default_factory=list)


class Resolver:
    """Resolves (code, name) pairs for one import; caches per name."""

    def __init__(self, actor: Any) -> None:
        from ftzsafety.enterprises.selectors import enterprise_list
        from ftzsafety.exchange.models import ResolutionCase

        rows = enterprise_list(actor=actor).values_list("id", "uscc", "name_zh", "name_en")
        self.by_code: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.keys: list[tuple[str, int]] = []
        for pk, uscc, name_zh, name_en in rows:
            self.by_code[uscc] = pk
            for name in (name_zh, name_en):
                key = normalise_name(name)
                if key:
                    self.by_key.setdefault(key, pk)
                    self.keys.append((key, pk))
        self.confirmed = dict(
            ResolutionCase.objects.filter(status=CaseStatus.CONFIRMED).values_list("name_key", "enterprise_id")
        )
        self._cache: dict[str, Resolution] = {}

    def resolve(self, code: str, name: str) -> Resolution:
        key = normalise_name(name)
        if code and code in self.by_code:
            return Resolution(ResolutionStatus.LINKED, self.by_code[code], key)
        if not key:
            return Resolution(ResolutionStatus.PENDING_REGISTRATION, None, "")
        if key not in self._cache:
            self._cache[key] = self._by_name(key)
        return self._cache[key]

    def _by_name(self, key: str) -> Resolution:
        if key in self.by_key:
            return Resolution(ResolutionStatus.LINKED, self.by_key[key], key)
        if key in self.confirmed:
            return Resolution(ResolutionStatus.LINKED, self.confirmed[key], key)
        best: dict[int, float] = {}
        for other, pk in self.keys:
            score = similarity(key, other)
            if score >= CANDIDATE and score > best.get(pk, 0.0):
                best[pk] = score
        ranked = sorted(best.items(), key=lambda item: -item[1])[:MAX_CANDIDATES]
        if ranked and ranked[0][1] >= AUTO_LINK and (len(ranked) == 1 or ranked[1][1] < AUTO_LINK):
            return Resolution(ResolutionStatus.LINKED, ranked[0][0], key)
        if ranked:
            return Resolution(ResolutionStatus.QUEUED, None, key, ranked)
        return Resolution(ResolutionStatus.PENDING_REGISTRATION, None, key)
