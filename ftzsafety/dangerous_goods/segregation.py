"""Segregation between dangerous goods by the IMDG Code 7.2.4 general table (between classes).

Rules applied (IMDG Code 7.2.4, 7.2.7; REFERENCE.md):
- every item is its primary class plus its subsidiary hazards; for a pair of items, every primary/subsidiary class
  of one is looked up against every primary/subsidiary class of the other, and the strictest code decides;
- strictness, lowest first: X < * < 1 < 2 < 3 < 4 (the `rank` of each code in the data); `*` (class 1 with
  class 1, see 7.2.7) therefore decides only when no pair asks for a numbered segregation;
- a class-1 division with its compatibility letter (1.1D) uses its division's row (1.1/1.2/1.5 …);
- a class given without its division (2, 4, 5, 6, or 1 as GB 12268 prints for aerosols) is taken as its strictest
  division;
- `conflict` is false only for X.
The table is data (SegregationCell, SegregationCode); cells marked uncertain are reported as such.
"""

from dataclasses import dataclass, field
from typing import Any

from ftzsafety.dangerous_goods.identifiers import class_division, class_number
from ftzsafety.dangerous_goods.models import SegregationCell, SegregationCode


@dataclass(frozen=True)
class ClassedItem:
    """One item to segregate: a reference, its primary class and its subsidiary hazards (already validated)."""

    ref: str
    hazard_class: str
    subsidiary_hazards: tuple[str, ...] = ()
    un_number: str = ""
    name_zh: str = ""
    name_en: str = ""

    @property
    def classes(self) -> tuple[str, ...]:
        return (self.hazard_class, *[s for s in self.subsidiary_hazards if s != self.hazard_class])


@dataclass(frozen=True)
class PairDecision:
    a: str
    b: str
    code: str
    name_zh: str
    name_en: str
    meaning_zh: str
    meaning_en: str
    decided_by: tuple[str, str]
    cells: tuple[str, str]
    conflict: bool
    uncertain: bool
    note: str = ""


@dataclass
class SegregationTable:
    """The matrix as loaded: cells by (row group, column group), codes by symbol, and which group a division is in."""

    cells: dict[tuple[str, str], SegregationCell]
    codes: dict[str, SegregationCode]
    groups: list[str]
    group_of: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "SegregationTable":
        cells = {(c.row, c.column): c for c in SegregationCell.objects.all()}
        codes = {c.code: c for c in SegregationCode.objects.all()}
        ordered = sorted({(c.row_order, c.row) for c in cells.values()})
        groups = [row for _, row in ordered]
        group_of = {member: group for group in groups for member in group.split("/")}
        return cls(cells=cells, codes=codes, groups=groups, group_of=group_of)

    def knows(self, hazard_class: str) -> bool:
        return bool(self._candidates(hazard_class))

    def _candidates(self, hazard_class: str) -> list[tuple[str, str]]:
        """(class as reported, matrix group) for a class: one for a division, several for a bare class."""
        division = class_division(hazard_class)
        if division in self.group_of:
            return [(hazard_class, self.group_of[division])]
        number = class_number(division)
        if division == number:  # a bare class: each of its divisions
            members = [m for m in self.group_of if m.split(".")[0] == number]
            return [(hazard_class if number == "1" else m, self.group_of[m]) for m in members]
        return []

    def decide(self, a: ClassedItem, b: ClassedItem) -> PairDecision:
        best: tuple[int, str, str, SegregationCell] | None = None
        for class_a in a.classes:
            for shown_a, group_a in self._candidates(class_a):
                for class_b in b.classes:
                    for shown_b, group_b in self._candidates(class_b):
                        cell = self.cells[(group_a, group_b)]
                        rank = self.codes[cell.code_id].rank
                        if best is None or rank > best[0]:
                            best = (rank, shown_a, shown_b, cell)
        if best is None:  # the items were validated, so every class has a row; kept as a guard
            raise LookupError(f"no segregation cell for {a.classes} × {b.classes}")
        _rank, shown_a, shown_b, cell = best
        code = self.codes[cell.code_id]
        return PairDecision(
            a=a.ref,
            b=b.ref,
            code=code.code,
            name_zh=code.name_zh,
            name_en=code.name_en,
            meaning_zh=code.meaning_zh,
            meaning_en=code.meaning_en,
            decided_by=(shown_a, shown_b),
            cells=(cell.row, cell.column),
            conflict=code.code != "X",
            uncertain=cell.uncertain,
            note=cell.note,
        )

    def matrix(self) -> list[dict[str, Any]]:
        """Rows for display: each row group with its cells in column order."""
        return [
            {
                "group": row,
                "cells": [
                    {
                        "column": column,
                        "code": self.cells[(row, column)].code_id,
                        "uncertain": self.cells[(row, column)].uncertain,
                    }
                    for column in self.groups
                ],
            }
            for row in self.groups
        ]


def segregate(items: list[ClassedItem], table: SegregationTable | None = None) -> list[PairDecision]:
    """Every pair (i < j) of `items`, in input order."""
    table = table or SegregationTable.load()
    return [table.decide(items[i], items[j]) for i in range(len(items)) for j in range(i + 1, len(items))]
