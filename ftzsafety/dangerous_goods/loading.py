"""Load the reference lists in `data/` into the database, idempotently.

`data/datasets.json` names each dataset, its files, edition and source. A dataset is (re)loaded when its files'
SHA-256 differs from the one recorded in ReferenceDataset, or when forced; otherwise it is left alone, so edits made
in the admin (audited) survive a routine `ftzsafety load_reference`. Works with the real models and with a
migration's historical models (pass `apps`).
"""

import csv
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction
from django.utils import timezone

from ftzsafety.dangerous_goods.identifiers import base_name, fold, sort_packing_groups

DATA_DIR = Path(__file__).resolve().parent / "data"
MANIFEST = DATA_DIR / "datasets.json"
# Datasets that are built together: the UN list joins GB 12268, the US table and the lithium numbers.
GOODS_GROUP = ("gb12268", "hmt", "lithium")


@dataclass(frozen=True)
class LoadResult:
    code: str
    loaded: bool
    row_count: int
    edition: str


def manifest() -> list[dict[str, Any]]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def files_digest(files: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode())
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def split(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _bool(cell: str) -> bool:
    return (cell or "").strip().lower() in {"1", "true", "yes"}


def load_reference(
    *, apps: Any = None, force: bool = False, only: Iterable[str] | None = None, loaded_by: str = "system"
) -> list[LoadResult]:
    """Load every dataset whose files changed (or all with `force`; or just `only`). Returns what was done."""
    apps = apps or global_apps
    models = _Models(apps)
    specs = {spec["code"]: spec for spec in manifest()}
    wanted = set(only) if only else set(specs)
    unknown = wanted - set(specs)
    if unknown:
        raise ValueError(f"unknown dataset(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(specs))}")
    recorded = {d.code: d.sha256 for d in models.ReferenceDataset.objects.all()}
    digests = {code: files_digest(spec["files"]) for code, spec in specs.items()}
    changed = {code for code in wanted if force or recorded.get(code) != digests[code]}
    # Dependants: the goods are one build; Table 3 β and the goods' search text hang on Table 1.
    if changed & set(GOODS_GROUP):
        changed |= set(GOODS_GROUP)
    if "gb18218_table1" in changed:
        changed.add("gb18218_table3")
    counts: dict[str, int] = {}
    with transaction.atomic():
        if "dg_classes" in changed:
            counts["dg_classes"] = _load_classes(models)
        if changed & set(GOODS_GROUP):
            counts.update(_load_goods(models))
        if "gb18218_table1" in changed:
            counts["gb18218_table1"] = _load_table1(models)
        if "gb18218_table3" in changed:
            counts["gb18218_table3"] = _load_table3(models)
        if "gb18218_table2" in changed:
            counts["gb18218_table2"] = _load_table2(models)
        if "gb18218_alpha" in changed:
            counts["gb18218_alpha"] = _load_alpha(models)
        if "imdg_segregation" in changed:
            counts["imdg_segregation"] = _load_segregation(models)
        if changed & {*GOODS_GROUP, "gb18218_table1"}:
            refresh_search_text(models.DangerousGood, models.NamedSubstanceUN, models.DangerousGoodVariant)
        now = timezone.now()
        results = []
        for code in sorted(specs):
            spec = specs[code]
            if code in counts:
                models.ReferenceDataset.objects.update_or_create(
                    code=code,
                    defaults={
                        "title_zh": spec["title_zh"],
                        "title_en": spec.get("title_en", ""),
                        "edition": spec["edition"],
                        "source": spec.get("source", ""),
                        "note": spec.get("note", ""),
                        "uncertain": bool(spec.get("uncertain")),
                        "files": spec["files"],
                        "sha256": digests[code],
                        "row_count": counts[code],
                        "loaded_at": now,
                        "loaded_by": loaded_by,
                        "edited_at": None,
                    },
                )
            if code in wanted:
                results.append(LoadResult(code, code in counts, counts.get(code, 0), spec["edition"]))
    return results


class _Models:
    def __init__(self, apps: Any) -> None:
        for name in (
            "ReferenceDataset",
            "HazardClass",
            "DangerousGood",
            "DangerousGoodVariant",
            "NamedSubstance",
            "NamedSubstanceUN",
            "HazardCategory",
            "AlphaBand",
            "GradeBand",
            "SegregationCode",
            "SegregationCell",
        ):
            setattr(self, name, apps.get_model("dangerous_goods", name))


def _load_classes(m: _Models) -> int:
    rows = read_csv("dg-classes.csv")
    for row in rows:
        m.HazardClass.objects.update_or_create(
            code=row["code"],
            defaults={
                "class_number": row["class_number"],
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "hazardous_chemical_by_class": _bool(row["hazardous_chemical_by_class"]),
                "sort_order": int(row["sort_order"]),
            },
        )
    m.HazardClass.objects.exclude(code__in=[r["code"] for r in rows]).delete()
    return len(rows)


def _preferred_hmt(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The international `I` rows when a number has them, else the rows that are not domestic-only (`D`)."""
    international = [r for r in rows if "I" in split(r["symbols"])]
    if international:
        return international
    return [r for r in rows if "D" not in split(r["symbols"])] or rows


def _ordered_union(lists: Iterable[list[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for values in lists:
        for value in values:
            seen.setdefault(value, None)
    return list(seen)


def build_goods() -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Join the two lists by UN number: (entry fields by number, variant rows)."""
    gb: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for n, row in enumerate(read_csv("gb12268-2025-un-names-zh.csv"), start=2):
        gb[row["un_number"]].append((n, row))
    hmt: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for n, row in enumerate(read_csv("hmt-49cfr172101.csv"), start=2):
        if row["un_number"].startswith("UN"):  # NA numbers are US-domestic; ID8000 is not a UN entry
            hmt[row["un_number"]].append((n, row))
    lithium = {row["un_number"]: row for row in read_csv("lithium-batteries.csv")}
    entries: dict[str, dict[str, Any]] = {}
    variants: list[dict[str, Any]] = []
    for number in sorted(set(gb) | set(hmt)):
        gb_rows = [r for _, r in gb.get(number, [])]
        hmt_rows = [r for _, r in hmt.get(number, [])]
        preferred = _preferred_hmt(hmt_rows) if hmt_rows else []
        preferred_ids = {id(r) for r in preferred}
        if gb_rows:
            hazard_class = next((r["hazard_class"] for r in gb_rows if r["hazard_class"]), "")
            subsidiary = _ordered_union(split(r["subsidiary_hazards"]) for r in gb_rows)
            packing = sort_packing_groups([r["packing_group"] for r in gb_rows])
        else:
            hazard_class = next((r["hazard_class"] for r in preferred if r["hazard_class"]), "")
            subsidiary = _ordered_union(split(r["subsidiary_hazards"]) for r in preferred)
            packing = sort_packing_groups([r["packing_group"] for r in preferred])
        if not hazard_class and preferred:
            hazard_class = next((r["hazard_class"] for r in preferred if r["hazard_class"]), "")
        battery = lithium.get(number)
        entries[number] = {
            "name_zh": gb_rows[0]["name_zh"] if gb_rows else "",
            "name_en": preferred[0]["proper_shipping_name"] if preferred else "",
            "hazard_class": hazard_class,
            "subsidiary_hazards": subsidiary,
            "packing_groups": packing,
            "special_provisions": _ordered_union(split(r["special_provisions"]) for r in preferred),
            "is_lithium_battery": battery is not None,
            "lithium_chemistry": battery["chemistry"] if battery else "",
            "in_gb12268": bool(gb_rows),
            "in_hmt": bool(hmt_rows),
        }
        for position, row in gb.get(number, []):
            variants.append(
                {
                    "un_number": number,
                    "source": "gb12268",
                    "position": position,
                    "name": row["name_zh"],
                    "hazard_class": row["hazard_class"],
                    "subsidiary_hazards": split(row["subsidiary_hazards"]),
                    "packing_group": row["packing_group"],
                    "special_provisions": [],
                    "symbols": [],
                    "preferred": False,
                }
            )
        for position, row in hmt.get(number, []):
            variants.append(
                {
                    "un_number": number,
                    "source": "hmt",
                    "position": position,
                    "name": row["proper_shipping_name"],
                    "hazard_class": row["hazard_class"],
                    "subsidiary_hazards": split(row["subsidiary_hazards"]),
                    "packing_group": row["packing_group"],
                    "special_provisions": split(row["special_provisions"]),
                    "symbols": split(row["symbols"]),
                    "preferred": id(row) in preferred_ids,
                }
            )
    return entries, variants


def _load_goods(m: _Models) -> dict[str, int]:
    entries, variants = build_goods()
    existing = {g.un_number: g for g in m.DangerousGood.objects.all()}
    fields = list(next(iter(entries.values())).keys())
    to_create, to_update = [], []
    for number, values in entries.items():
        good = existing.get(number)
        if good is None:
            to_create.append(m.DangerousGood(un_number=number, **values))
            continue
        if any(getattr(good, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(good, f, v)
            to_update.append(good)
    m.DangerousGood.objects.bulk_create(to_create, batch_size=500)
    m.DangerousGood.objects.bulk_update(to_update, fields, batch_size=500)
    # Entries that came from the files and are no longer in them go; entries added by hand stay.
    stale = [n for n, g in existing.items() if n not in entries and (g.in_gb12268 or g.in_hmt)]
    m.DangerousGood.objects.filter(un_number__in=stale).delete()
    ids = dict(m.DangerousGood.objects.values_list("un_number", "id"))
    m.DangerousGoodVariant.objects.all().delete()
    m.DangerousGoodVariant.objects.bulk_create(
        [m.DangerousGoodVariant(good_id=ids[v.pop("un_number")], **v) for v in variants], batch_size=1000
    )
    return {
        "gb12268": sum(1 for v in variants if v["source"] == "gb12268"),
        "hmt": sum(1 for v in variants if v["source"] == "hmt"),
        "lithium": sum(1 for e in entries.values() if e["is_lithium_battery"]),
    }


def _load_table1(m: _Models) -> int:
    rows = read_csv("gb18218-2018-table1.csv")
    links = {row["name_zh"]: row for row in read_csv("gb18218-2018-table1-links.csv")}
    names = [row["name_zh"] for row in rows]
    missing = set(links) - set(names)
    if missing:
        raise ValueError(f"gb18218-2018-table1-links.csv names rows not in Table 1: {sorted(missing)}")
    # Positions are unique: move the rows out of the way first so that a reordered file loads.
    m.NamedSubstance.objects.exclude(name_zh__in=names).delete()
    for substance in m.NamedSubstance.objects.all():
        substance.position = 10000 + substance.pk
        substance.save(update_fields=["position"])
    for position, row in enumerate(rows, start=1):
        link = links.get(row["name_zh"], {})
        aliases = [a.strip() for a in split(row["aliases_zh"].replace("、", ";"))]
        m.NamedSubstance.objects.update_or_create(
            name_zh=row["name_zh"],
            defaults={
                "position": position,
                "aliases": aliases,
                "extra_aliases": split(link.get("extra_aliases", "")),
                "cas_numbers": split(row["cas"]),
                "critical_quantity_t": Decimal(row["critical_quantity_t"]),
                "note": link.get("note", ""),
            },
        )
    ids = dict(m.NamedSubstance.objects.values_list("name_zh", "id"))
    m.NamedSubstanceUN.objects.all().delete()
    m.NamedSubstanceUN.objects.bulk_create(
        [
            m.NamedSubstanceUN(substance_id=ids[name], un_number=number)
            for name, link in links.items()
            for number in split(link["un_numbers"])
        ]
    )
    return len(rows)


def _load_table3(m: _Models) -> int:
    rows = read_csv("gb18218-2018-table3-beta.csv")
    m.NamedSubstance.objects.update(beta=None, beta_uncertain=False, beta_note="")
    for row in rows:
        updated = m.NamedSubstance.objects.filter(name_zh=row["table1_name_zh"]).update(
            beta=Decimal(row["beta"]), beta_uncertain=_bool(row["uncertain"]), beta_note=row["note"]
        )
        if not updated:
            raise ValueError(f"Table 3 row {row['name_zh']} names a Table 1 row that is not loaded")
    return len(rows)


def _load_table2(m: _Models) -> int:
    rows = read_csv("gb18218-2018-table2.csv")
    for order, row in enumerate(rows, start=1):
        m.HazardCategory.objects.update_or_create(
            code=row["code"],
            defaults={
                "group": row["group"],
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "critical_quantity_t": Decimal(row["critical_quantity_t"]),
                "beta": Decimal(row["beta"]),
                "uncertain": _bool(row["uncertain"]),
                "note": row["note"],
                "sort_order": order,
            },
        )
    return len(rows)


def _optional_decimal(cell: str) -> Decimal | None:
    return Decimal(cell) if cell else None


def _load_alpha(m: _Models) -> int:
    alpha_rows = read_csv("gb18218-2018-alpha.csv")
    m.AlphaBand.objects.all().delete()
    m.AlphaBand.objects.bulk_create(
        [
            m.AlphaBand(
                min_people=int(r["min_people"]),
                max_people=int(r["max_people"]) if r["max_people"] else None,
                alpha=Decimal(r["alpha"]),
            )
            for r in alpha_rows
        ]
    )
    grade_rows = read_csv("gb18218-2018-grades.csv")
    m.GradeBand.objects.all().delete()
    m.GradeBand.objects.bulk_create(
        [
            m.GradeBand(grade=int(r["grade"]), min_r=_optional_decimal(r["min_r"]), max_r=_optional_decimal(r["max_r"]))
            for r in grade_rows
        ]
    )
    return len(alpha_rows) + len(grade_rows)


UNCERTAIN_MARK = "†"
UNCERTAIN_NOTE = "Disputed: two current encodings give 2; older copies give 2.1×4.3 = X and 3×4.3 = 1."


def _load_segregation(m: _Models) -> int:
    codes = read_csv("imdg-7.2.4-codes.csv")
    m.SegregationCell.objects.all().delete()
    m.SegregationCode.objects.all().delete()
    m.SegregationCode.objects.bulk_create(
        [
            m.SegregationCode(
                code=r["code"],
                rank=int(r["rank"]),
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                meaning_zh=r["meaning_zh"],
                meaning_en=r["meaning_en"],
            )
            for r in codes
        ]
    )
    with (DATA_DIR / "imdg-7.2.4-segregation.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    header = [h.strip() for h in table[0][1:]]
    cells = []
    for row_order, line in enumerate(table[1:]):
        row = line[0].strip()
        for column_order, (column, raw) in enumerate(zip(header, line[1:], strict=True)):
            value = raw.strip()
            uncertain = value.endswith(UNCERTAIN_MARK)
            cells.append(
                m.SegregationCell(
                    row=row,
                    column=column,
                    row_order=row_order,
                    column_order=column_order,
                    code_id=value.rstrip(UNCERTAIN_MARK),
                    uncertain=uncertain,
                    note=UNCERTAIN_NOTE if uncertain else "",
                )
            )
    m.SegregationCell.objects.bulk_create(cells)
    return len(cells)


def search_text_for(good: Any, variant_names: list[str], substances: list[Any]) -> str:
    """What the search matches for one entry: its number, names, variant names and any Table 1 names and CAS."""
    parts = [good.un_number, good.un_number[2:], good.name_zh, good.name_en, *variant_names]
    for substance in substances:
        parts += [substance.name_zh, base_name(substance.name_zh), *substance.aliases, *substance.extra_aliases]
        parts += substance.cas_numbers
    return " | ".join(dict.fromkeys(fold(p) for p in parts if p))


def refresh_search_text(
    good_model: Any, link_model: Any, variant_model: Any, numbers: Iterable[str] | None = None
) -> None:
    goods = good_model.objects.all()
    if numbers is not None:
        goods = goods.filter(un_number__in=list(numbers))
    goods = list(goods)
    names: dict[int, list[str]] = defaultdict(list)
    for good_id, name in variant_model.objects.filter(good__in=goods).values_list("good_id", "name"):
        names[good_id].append(name)
    substances: dict[str, list[Any]] = defaultdict(list)
    for link in link_model.objects.select_related("substance").filter(un_number__in=[g.un_number for g in goods]):
        substances[link.un_number].append(link.substance)
    changed = []
    for good in goods:
        text = search_text_for(good, names[good.pk], substances[good.un_number])
        if text != good.search_text:
            good.search_text = text
            changed.append(good)
    good_model.objects.bulk_update(changed, ["search_text"], batch_size=500)
