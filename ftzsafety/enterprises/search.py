"""Chinese enterprise search (issue 4, item 7).

PostgreSQL and SQLite have no Chinese word parser, so the words are cut here with jieba (`cut_for_search`, which
emits a word and the shorter dictionary words inside it) and stored, space-separated, in one search document per
enterprise (`EnterpriseSearchDocument`). The database indexes that column with its own full-text index: an FTS5
table on SQLite (`enterprises_search_fts`, rowid = enterprise id); on PostgreSQL a GIN index on the stored
generated column `search_vector` = `to_tsvector('simple', document)` (migrations 0004, 0005). A query is cut the
same way (precise mode: its longest words), every word becomes a prefix term, each expanded with its synonym group
(`data/search_synonyms.txt`, 液化气 → 液化石油气), and the terms are ANDed; credit codes match by prefix
(GB 32100-2015 codes start with the registering authority and the division, so a prefix is how officers narrow
them down) — all through indexes. Only when nothing matches that way are names searched as a plain substring (a
scan of the registry).

The enterprise services call `index_enterprise` in their own transaction (no signals); `ftzsafety search_reindex`
rebuilds everything. jieba loads its dictionary (about 0.4 s with its cache, 1–2 s without) once per process, on
first use, from the wheel's bundled `dict.txt`; nothing is downloaded.

The registry has no alias column yet: the names searched are the Chinese and English registered names.
"""

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "search_synonyms.txt"
FTS_TABLE = "enterprises_search_fts"
DOCUMENT_TABLE = "enterprises_enterprisesearchdocument"
ENTERPRISE_TABLE = "enterprises_enterprise"
MAX_QUERY_WORDS = 8  # a pasted paragraph is not a search; the first words decide
# A search counts its matches exactly up to this many; beyond it the API says `count_capped` ("10,000+") and ranks
# within the first COUNT_CAP + 1 visible matches (issue 4 item 8: p99 < 50 ms at 100,000 enterprises).
COUNT_CAP = 10_000
USCC_LENGTH = 18  # GB 32100-2015
REINDEX_BATCH = 2000

_lock = threading.Lock()
_tokenizer: Any = None
init_seconds: float | None = None  # how long the dictionary load took in this process (bench reports it)
_NON_WORD = re.compile(r"[\W_]+")


def tokenizer() -> Any:
    """The process's jieba tokenizer, built on first use (the dictionary load is slow) with the synonym words added."""
    global _tokenizer, init_seconds
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                start = time.perf_counter()
                tk = jieba.Tokenizer()
                tk.initialize()
                for group in _synonym_lines():
                    for word in group:
                        if not word.isascii():
                            tk.add_word(word)
                init_seconds = time.perf_counter() - start
                _tokenizer = tk
    return _tokenizer


@lru_cache(maxsize=1)
def _synonym_lines() -> tuple[tuple[str, ...], ...]:
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words = tuple(w for w in (_clean(part) for part in line.split(",")) if w)
            if len(words) > 1:
                groups.append(words)
    return tuple(groups)


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Each synonym word → its whole group (canonical first). A word in two groups gets both."""
    out: dict[str, tuple[str, ...]] = {}
    for group in _synonym_lines():
        for word in group:
            out[word] = tuple(dict.fromkeys((*out.get(word, ()), *group)))
    return out


def _normalise(text: str) -> str:
    """Full-width to half-width (NFKC), lower case: ＬＰＧ and lpg are one word."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _clean(token: str) -> str:
    """A token as stored: letters and digits only (what FTS5 unicode61 and PostgreSQL's parser keep anyway)."""
    return _NON_WORD.sub("", _normalise(token))


def document_tokens(*texts: str) -> list[str]:
    """The distinct search words of some texts, in order of first appearance."""
    cut = tokenizer().cut_for_search
    words: dict[str, None] = {}
    for text in texts:
        for token in cut(_normalise(text), HMM=False):
            word = _clean(token)
            if word:
                words[word] = None
    return list(words)


def document_for(*, name_zh: str, name_en: str, business_scope: str) -> str:
    return " ".join(document_tokens(name_zh, name_en, business_scope))


def query_terms(q: str) -> list[tuple[str, ...]]:
    """The query's words (precise cut), each with its synonyms: [("液化气", "液化石油气", "lpg"), ("仓储",)]."""
    words: dict[str, None] = {}
    for token in tokenizer().cut(_normalise(q), HMM=False):
        word = _clean(token)
        if word:
            words[word] = None
    table = synonyms()
    return [table.get(word, (word,)) for word in list(words)[:MAX_QUERY_WORDS]]


def _match_expression(terms: list[tuple[str, ...]]) -> str:
    if connection.vendor == "postgresql":
        return " & ".join("(" + " | ".join(f"'{w}':*" for w in group) + ")" for group in terms)
    return " AND ".join("(" + " OR ".join(f'"{w}"*' for w in group) + ")" for group in terms)


def _code_bounds(q: str) -> tuple[str, str] | None:
    """Credit codes starting with `q` as a half-open range, so that the unique index serves it on both databases."""
    from ftzsafety.core.codes import USCC_ALPHABET

    code = q.strip().upper()
    if len(code) < 2 or any(ch not in USCC_ALPHABET for ch in code):
        return None
    return code, code[:-1] + chr(ord(code[-1]) + 1)


def word_match(q: str) -> Q:
    """Enterprises whose search words match every word of `q` (with synonyms), whose credit code starts with `q`, or
    whose Chinese name is exactly `q`: `id IN (… UNION ALL …)` OR a credit-code range, every part served by an index
    (the full-text index, the name index, the credit code's unique index), so no query scans the registry."""
    q = q.strip()
    parts: list[str] = []
    params: list[Any] = []
    terms = query_terms(q)
    if terms and connection.vendor in {"postgresql", "sqlite"}:
        # Constant table names; the user's words travel only as bound parameters.
        if connection.vendor == "postgresql":
            parts.append(
                f"SELECT enterprise_id FROM {DOCUMENT_TABLE} "  # noqa: S608
                "WHERE search_vector @@ to_tsquery('simple', %s)"
            )
        else:
            parts.append(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s")  # noqa: S608
        params.append(_match_expression(terms))
    elif terms:  # another database: no full-text index; the same word-prefix semantics approximated by substring
        return _unindexed_word_match(q, terms)
    parts.append(f"SELECT id FROM {ENTERPRISE_TABLE} WHERE name_zh = %s")  # noqa: S608
    params.append(q)
    bounds = _code_bounds(q)
    whole_code = bounds is not None and len(bounds[0]) >= USCC_LENGTH
    if whole_code:  # one code: one more cheap branch
        parts.append(f"SELECT id FROM {ENTERPRISE_TABLE} WHERE uscc >= %s AND uscc < %s")  # noqa: S608
        params.extend(bounds)
    # UNION ALL: `IN` ignores duplicates anyway, and the database need not de-duplicate the branches first.
    condition = Q(pk__in=RawSQL(" UNION ALL ".join(parts), params))  # noqa: S611
    if bounds and not whole_code:
        # A code prefix as a condition on the registry row itself, not one more branch of the IN list: a short
        # prefix ("911201") covers the whole zone, and as a branch it would be materialised in full before any
        # LIMIT applies; as an OR the database walks the unique index and stops at the limit.
        condition |= Q(uscc__gte=bounds[0], uscc__lt=bounds[1])
    return condition


def id_set(ids: list[int]) -> Q:
    """`pk IN ids` with the ids as ONE bound parameter (a JSON array on SQLite, an array on PostgreSQL) rather than
    up to COUNT_CAP placeholders: the statement stays small and quick to build and parse."""
    if connection.vendor == "sqlite":
        import json

        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    return Q(pk__in=ids)


def _unindexed_word_match(q: str, terms: list[tuple[str, ...]]) -> Q:
    from ftzsafety.enterprises.models import EnterpriseSearchDocument

    docs = EnterpriseSearchDocument.objects.all()
    for group in terms:
        any_word = Q()
        for word in group:
            any_word |= Q(document__contains=word)
        docs = docs.filter(any_word)
    condition = Q(pk__in=docs.values("enterprise_id")) | Q(name_zh=q)
    bounds = _code_bounds(q)
    return condition | Q(uscc__gte=bounds[0], uscc__lt=bounds[1]) if bounds else condition


def substring_match(q: str) -> Q:
    """Names containing `q` (zh or en, any case) or a credit code starting with it. Not indexed (a scan): the
    fallback when no search word matches, and what finds a registry row written before its search words were."""
    q = q.strip()
    condition = Q(name_zh__icontains=q) | Q(name_en__icontains=q)
    bounds = _code_bounds(q)
    return condition | Q(uscc__gte=bounds[0], uscc__lt=bounds[1]) if bounds else condition


def rank(q: str) -> Case:
    """0 the exact credit code, 1 the exact name, 2 a Chinese name or a code starting with `q`, 3 any other match.
    Plain comparisons (no LIKE): the CASE runs once per matching row to sort them."""
    q = q.strip()
    code = q.upper()
    starts = Q(name_zh__gte=q, name_zh__lt=q + "\U0010ffff")
    bounds = _code_bounds(q)
    if bounds:
        starts |= Q(uscc__gte=bounds[0], uscc__lt=bounds[1])
    return Case(
        When(uscc=code, then=Value(0)),
        When(Q(name_zh=q) | Q(name_en__iexact=q), then=Value(1)),
        When(starts, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


# --- the index -------------------------------------------------------------------------------------------------


def _fts_write(rows: list[tuple[int, str]], *, replace: bool) -> None:
    if connection.vendor != "sqlite" or not rows:
        return
    with connection.cursor() as cursor:
        if replace:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _d in rows])  # noqa: S608
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, document) VALUES (%s, %s)", rows)  # noqa: S608


def index_enterprise(enterprise: Any) -> None:
    """(Re)write one enterprise's search document; call inside the service's transaction."""
    from ftzsafety.enterprises.models import EnterpriseSearchDocument

    document = document_for(
        name_zh=enterprise.name_zh, name_en=enterprise.name_en, business_scope=enterprise.business_scope
    )
    EnterpriseSearchDocument.objects.update_or_create(enterprise_id=enterprise.pk, defaults={"document": document})
    _fts_write([(enterprise.pk, document)], replace=True)


def reindex(*, progress: Callable[[int, int], None] | None = None, batch_size: int = REINDEX_BATCH) -> int:
    """Rebuild every search document and the database's index in one transaction; returns the count."""
    from ftzsafety.enterprises.models import Enterprise, EnterpriseSearchDocument

    total = Enterprise.objects.count()
    done = 0
    with transaction.atomic():
        EnterpriseSearchDocument.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        last = 0
        while True:
            batch = list(
                Enterprise.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "name_zh", "name_en", "business_scope")[:batch_size]
            )
            if not batch:
                break
            rows = [(pk, document_for(name_zh=zh, name_en=en, business_scope=scope)) for pk, zh, en, scope in batch]
            EnterpriseSearchDocument.objects.bulk_create(
                [EnterpriseSearchDocument(enterprise_id=pk, document=doc) for pk, doc in rows]
            )
            _fts_write(rows, replace=False)
            last = batch[-1][0]
            done += len(batch)
            if progress:
                progress(done, total)
    return done
