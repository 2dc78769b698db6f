"""Entity resolution (issue 4, item 3): which registered enterprise a department row is about.

By credit code first (valid and registered); else by normalised name with a similarity score: at or above
AUTO_LINK the row links; at or above CANDIDATE it is queued for an officer to confirm among the candidates; below,
the enterprise is unknown and becomes a pending registration.

Cost (issue 4, item 8: ingestion at zone scale): the registry is never read whole for rows whose credit code is
registered. `Resolver.prime` looks up the codes of one batch in one indexed query (the code's unique index,
through enterprises.selectors) and the confirmed matches of the batch's names by their unique `name_key`; only a
row whose code is missing or unknown and whose name is not exactly a registered Chinese name needs the similarity
scan, and the registry's names are read for it once per import, on first need.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ftzsafety.exchange.choices import CaseStatus, PendingStatus, ResolutionStatus
from ftzsafety.exchange.names import normalise_name, similarity

AUTO_LINK = 0.92
CANDIDATE = 0.6
MAX_CANDIDATES = 5
LOOKUP_CHUNK = 5000  # codes or names per IN (…) query, well under SQLite's 32,766 variables; one index probe each


@dataclass
class Resolution:
    status: str
    enterprise_id: int | None
    name_key: str
    candidates: list[tuple[int, float]] = field(default_factory=list)


def _chunked(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


class Resolver:
    """Resolves (code, name) pairs for one import, for one actor (only enterprises the actor sees are linked).

    Call `prime(pairs)` with a batch before resolving its rows: it costs a fixed number of indexed queries per
    batch, whatever the size of the registry. `resolve` without priming still works (it looks the pair up then)."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.by_code: dict[str, int | None] = {}  # looked-up codes → enterprise (None: not registered)
        self.confirmed: dict[str, int | None] = {}  # looked-up name keys → confirmed enterprise (None: none)
        self.by_name: dict[str, int | None] = {}  # looked-up raw names → the registered enterprise of that name
        self._names: tuple[dict[str, int], list[tuple[str, int]]] | None = None  # the registry's names, lazily
        self._cache: dict[str, Resolution] = {}
        self._linked: dict[str, Resolution] = {}
        self._keys: dict[str, str] = {}  # reported name → its normalised key (department files repeat names)

    def _enterprises(self) -> Any:
        from ftzsafety.enterprises.selectors import enterprise_list

        return enterprise_list(actor=self.actor)

    def prime(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Look up, in a few indexed queries, what this batch's rows need: their credit codes; for rows whose code
        is missing or unknown, their exact names and the confirmed matches of their normalised names."""
        from ftzsafety.exchange.models import PendingRegistration, ResolutionCase

        pairs = list(pairs)
        codes = sorted({code for code, _name in pairs if code and code not in self.by_code})
        for part in _chunked(codes):
            found = dict(self._enterprises().filter(uscc__in=part).order_by().values_list("uscc", "id"))
            missing = [code for code in part if code not in found]
            if missing:  # codes an officer (or a relink) linked through a pending registration
                for code, pk in (
                    PendingRegistration.objects.filter(status=PendingStatus.LINKED, reported_code__in=missing)
                    .order_by("pk")
                    .values_list("reported_code", "enterprise_id")
                ):
                    found.setdefault(code, pk)
            for code in part:
                self.by_code[code] = found.get(code)
        by_name = [name for code, name in pairs if name and not self.by_code.get(code)]
        raw = sorted({name.strip() for name in by_name if name.strip() and name.strip() not in self.by_name})
        for part in _chunked(raw):
            found: dict[str, int] = {}
            for name_zh, pk in (
                self._enterprises().filter(name_zh__in=part).order_by("name_zh", "id").values_list("name_zh", "id")
            ):
                found.setdefault(name_zh, pk)
            for name in part:
                self.by_name[name] = found.get(name)
        keys = sorted({key for name in by_name if (key := self._key(name)) and key not in self.confirmed})
        for part in _chunked(keys):
            found = dict(
                ResolutionCase.objects.filter(status=CaseStatus.CONFIRMED, name_key__in=part).values_list(
                    "name_key", "enterprise_id"
                )
            )
            # Pending registrations an officer (or a relink) has linked: their names link directly.
            for name_key, pk in PendingRegistration.objects.filter(
                status=PendingStatus.LINKED, name_key__in=part
            ).values_list("name_key", "enterprise_id"):
                found.setdefault(name_key, pk)
            for key in part:
                self.confirmed[key] = found.get(key)

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = normalise_name(name)
        return key

    def resolve(self, code: str, name: str) -> Resolution:
        """The row's enterprise. A row linked by its credit code carries no name key: the key is what a row waits
        on (a queued match or a pending registration) and is only ever looked up among unlinked rows."""
        if code and code not in self.by_code:
            self.prime([(code, name)])
        if code and self.by_code.get(code) is not None:
            linked = self._linked.get(code)
            if linked is None:  # one (immutable) result per code: department files repeat them
                linked = self._linked[code] = Resolution(ResolutionStatus.LINKED, self.by_code[code], "")
            return linked
        key = self._key(name)
        if not key:
            return Resolution(ResolutionStatus.PENDING_REGISTRATION, None, "")
        if key not in self._cache:
            if name.strip() not in self.by_name or key not in self.confirmed:
                self.prime([("", name)])
            self._cache[key] = self._by_name(name.strip(), key)
        return self._cache[key]

    def _registry_names(self) -> tuple[dict[str, int], list[tuple[str, int]]]:
        """Every visible enterprise's normalised names (read once per resolver, only for the similarity scan)."""
        if self._names is None:
            by_key: dict[str, int] = {}
            keys: list[tuple[str, int]] = []
            for pk, name_zh, name_en in self._enterprises().values_list("id", "name_zh", "name_en"):
                for registered in (name_zh, name_en):
                    other = normalise_name(registered)
                    if other:
                        by_key.setdefault(other, pk)
                        keys.append((other, pk))
            self._names = (by_key, keys)
        return self._names

    def _by_name(self, name: str, key: str) -> Resolution:
        if self.by_name.get(name) is not None:  # exactly a registered Chinese name (its index)
            return Resolution(ResolutionStatus.LINKED, self.by_name[name], key)
        by_key, keys = self._registry_names()
        if key in by_key:
            return Resolution(ResolutionStatus.LINKED, by_key[key], key)
        if self.confirmed.get(key) is not None:
            return Resolution(ResolutionStatus.LINKED, self.confirmed[key], key)
        best: dict[int, float] = {}
        for other, pk in keys:
            score = similarity(key, other)
            if score >= CANDIDATE and score > best.get(pk, 0.0):
                best[pk] = score
        ranked = sorted(best.items(), key=lambda item: -item[1])[:MAX_CANDIDATES]
        if ranked and ranked[0][1] >= AUTO_LINK and (len(ranked) == 1 or ranked[1][1] < AUTO_LINK):
            return Resolution(ResolutionStatus.LINKED, ranked[0][0], key)
        if ranked:
            return Resolution(ResolutionStatus.QUEUED, None, key, ranked)
        return Resolution(ResolutionStatus.PENDING_REGISTRATION, None, key)
