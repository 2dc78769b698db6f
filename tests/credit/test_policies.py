"""The scoring policy as a table: each weight, threshold, override and the decay; explanations add up."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.credit.choices import CertificateType, EventKind, EventStatus
from ftzsafety.credit.policies import DEFAULT_RULES, EventRow, Scorer, default_rules, validate_rules

AS_OF = date(2026, 6, 30)
scorer = Scorer(default_rules())


def row(kind: str, days_ago: int = 0, n: int = 1, **kw) -> EventRow:
    return EventRow(n, kind, AS_OF - timedelta(days=days_ago), **kw)


class TestThresholds:
    @pytest.mark.parametrize(
        ("score", "grade"),
        [
            ("100", "A"),
            ("85", "A"),
            ("84.99", "B"),
            ("70", "B"),
            ("69.99", "C"),
            ("50", "C"),
            ("49.99", "D"),
            ("0", "D"),
        ],
    )
    def test_each_threshold(self, score: str, grade: str) -> None:
        assert scorer.grade_of(Decimal(score)) == grade

    def test_no_events_is_base_score_grade_c(self) -> None:
        result = scorer.score([], as_of=AS_OF, explain=True)
        assert (result.score, result.grade, result.overrides) == (Decimal("60"), "C", [])
        assert [(f.label, f.contribution) for f in result.factors] == [("base", Decimal("60"))]


class TestWeights:
    @pytest.mark.parametrize(
        ("kind", "contribution"),
        [
            (EventKind.HAZARD_RECTIFIED_ON_TIME, "2.00"),
            (EventKind.HAZARD_OVERDUE, "-5.00"),
            (EventKind.MAJOR_HAZARD_FOUND, "-10.00"),
            (EventKind.FILING_APPROVED_CLEAN, "1.00"),
            (EventKind.FALSE_FILING, "-30.00"),
            (EventKind.PENALTY, "-10.00"),
            (EventKind.SERIOUS_VIOLATION, "-40.00"),
            (EventKind.INSPECTION_PASSED, "3.00"),
            (EventKind.INSPECTION_FAILED, "-8.00"),
            (EventKind.ASSOCIATION_RATING, "4.00"),
            (EventKind.ASSOCIATION_RATING_POOR, "-4.00"),
            (EventKind.THIRD_PARTY_REPORT, "2.00"),
            (EventKind.THIRD_PARTY_REPORT_ADVERSE, "-6.00"),
        ],
    )
    def test_weight_of_each_kind_on_its_day(self, kind: str, contribution: str) -> None:
        result = scorer.score([row(kind)], as_of=AS_OF, explain=True)
        assert result.factors[1].contribution == Decimal(contribution)
        assert result.score == Decimal("60") + Decimal(contribution)

    @pytest.mark.parametrize(("cert", "points"), [("ISO45001", "10.00"), ("ISM", "10.00"), ("AEO", "15.00")])
    def test_certificate_weights(self, cert: str, points: str) -> None:
        valid = row(EventKind.CERTIFICATION, 400, certificate_type=cert, valid_until=AS_OF + timedelta(days=1))
        result = scorer.score([valid], as_of=AS_OF, explain=True)
        assert result.factors[1].contribution == Decimal(points)  # certifications do not decay

    def test_expired_certificate_does_not_count(self) -> None:
        expired = row(EventKind.CERTIFICATION, 400, certificate_type="AEO", valid_until=AS_OF - timedelta(days=1))
        result = scorer.score([expired], as_of=AS_OF, explain=True)
        assert result.score == Decimal("60")
        assert result.not_counted == [{"event_id": 1, "kind": "certification", "reason": "expired"}]

    def test_annulled_event_does_not_count_and_repaired_counts_half(self) -> None:
        annulled = scorer.score([row(EventKind.PENALTY, status=EventStatus.ANNULLED)], as_of=AS_OF)
        repaired = scorer.score([row(EventKind.PENALTY, status=EventStatus.REPAIRED)], as_of=AS_OF)
        assert annulled.score == Decimal("60")
        assert repaired.score == Decimal("55.00")

    def test_future_event_does_not_count(self) -> None:
        result = scorer.score([row(EventKind.PENALTY, -1)], as_of=AS_OF, explain=True)
        assert result.score == Decimal("60")
        assert result.not_counted[0]["reason"] == "future"

    def test_recognised_event_counts_by_factor(self) -> None:
        rules = default_rules()
        rules["recognised_factor"] = "0.5"
        result = Scorer(rules).score([row(EventKind.PENALTY, recognised_from="peer")], as_of=AS_OF)
        assert result.score == Decimal("55.00")


class TestDecay:
    @pytest.mark.parametrize(
        ("days", "factor", "contribution"),
        [(0, "1", "-10.00"), (730, "0.500000", "-5.00"), (1460, "0.250000", "-2.50"), (365, "0.707107", "-7.07")],
    )
    def test_penalty_halves_every_two_years(self, days: int, factor: str, contribution: str) -> None:
        result = scorer.score([row(EventKind.PENALTY, days)], as_of=AS_OF, explain=True)
        assert result.factors[1].decay == Decimal(factor)
        assert result.factors[1].contribution == Decimal(contribution)

    def test_positive_events_decay_faster_than_negative(self) -> None:
        assert (
            DEFAULT_RULES["kinds"][EventKind.HAZARD_RECTIFIED_ON_TIME]["half_life_days"]
            < (DEFAULT_RULES["kinds"][EventKind.FALSE_FILING]["half_life_days"])
        )


class TestOverrides:
    def test_valid_ism_gives_a_even_with_a_low_score(self) -> None:
        rows = [
            row(EventKind.CERTIFICATION, 10, 1, certificate_type="ISM", valid_until=AS_OF + timedelta(days=300)),
            row(EventKind.PENALTY, 5, 2),
            row(EventKind.PENALTY, 5, 3),
        ]
        result = scorer.score(rows, as_of=AS_OF)
        assert result.score_grade == "C"
        assert result.grade == "A"
        assert result.overrides[0]["rule"] == "certificate_to_a"
        assert result.overrides[0]["certificate_type"] == "ISM"

    @pytest.mark.parametrize("cert", ["ISO45001", "AEO"])
    def test_other_certificates_add_points_but_do_not_force_a(self, cert: str) -> None:
        rows = [row(EventKind.CERTIFICATION, 10, certificate_type=cert, valid_until=AS_OF + timedelta(days=30))]
        result = scorer.score(rows, as_of=AS_OF)
        assert result.overrides == []
        assert result.grade == "B"

    def test_expired_ism_gives_no_a(self) -> None:
        rows = [row(EventKind.CERTIFICATION, 10, certificate_type="ISM", valid_until=AS_OF - timedelta(days=1))]
        assert scorer.score(rows, as_of=AS_OF).grade == "C"

    @pytest.mark.parametrize("kind", [EventKind.FALSE_FILING, EventKind.SERIOUS_VIOLATION])
    def test_d_trigger_beats_ism_for_365_days(self, kind: str) -> None:
        ism = row(EventKind.CERTIFICATION, 10, 1, certificate_type="ISM", valid_until=AS_OF + timedelta(days=300))
        aeo = row(EventKind.CERTIFICATION, 10, 2, certificate_type="AEO", valid_until=AS_OF + timedelta(days=300))
        inside = scorer.score([ism, aeo, row(kind, 364, 3)], as_of=AS_OF)
        assert inside.grade == "D"
        assert [o["rule"] for o in inside.overrides] == ["d_trigger"]
        assert inside.overrides[0]["until"] == (AS_OF - timedelta(days=364) + timedelta(days=365)).isoformat()
        after = scorer.score([ism, aeo, row(kind, 365, 3)], as_of=AS_OF)
        assert after.grade == "A"

    @pytest.mark.parametrize("status", [EventStatus.REPAIRED, EventStatus.ANNULLED])
    def test_repaired_or_annulled_false_filing_is_no_trigger(self, status: str) -> None:
        assert scorer.score([row(EventKind.FALSE_FILING, 10, status=status)], as_of=AS_OF).overrides == []

    def test_recognised_trigger_follows_policy(self) -> None:
        peer_false = [row(EventKind.FALSE_FILING, 10, recognised_from="peer")]
        assert scorer.score(peer_false, as_of=AS_OF).grade == "D"
        rules = default_rules()
        rules["overrides"]["recognised_triggers"] = False
        assert Scorer(rules).score(peer_false, as_of=AS_OF).overrides == []

    def test_score_is_held_within_range_by_a_bound_factor(self) -> None:
        rows = [row(EventKind.SERIOUS_VIOLATION, 1, n) for n in range(1, 4)]
        result = scorer.score(rows, as_of=AS_OF, explain=True)
        assert result.score == Decimal("0")
        assert result.factors[-1].label == "bound"
        assert sum(f.contribution for f in result.factors) == Decimal("0")


EVENT = st.builds(
    EventRow,
    id=st.integers(1, 10**6),
    kind=st.sampled_from(sorted(set(EventKind.values))),
    occurred_on=st.dates(AS_OF - timedelta(days=4000), AS_OF + timedelta(days=10)),
    certificate_type=st.sampled_from(["", *CertificateType.values]),
    valid_until=st.one_of(st.none(), st.dates(AS_OF - timedelta(days=400), AS_OF + timedelta(days=400))),
    status=st.sampled_from(EventStatus.values),
    recognised_from=st.sampled_from(["", "peer"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENT, max_size=40))
def test_explanation_adds_up_to_the_score_exactly(rows: list[EventRow]) -> None:
    explained = scorer.score(rows, as_of=AS_OF, explain=True)
    plain = Scorer(default_rules()).score(rows, as_of=AS_OF)
    assert sum((f.contribution for f in explained.factors), Decimal(0)) == explained.score
    assert explained.score == plain.score
    assert explained.grade == plain.grade
    assert Decimal(0) <= explained.score <= Decimal(100)
    assert all(f.contribution == f.contribution.quantize(Decimal("0.01")) for f in explained.factors)


class TestValidation:
    def test_default_rules_are_valid(self) -> None:
        assert validate_rules(default_rules()) == default_rules()

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (lambda r: r["kinds"]["penalty"].update(weight="lots"), "kinds.penalty.weight"),
            (lambda r: r["kinds"].pop("false_filing"), "kinds.false_filing"),
            (lambda r: r["kinds"]["penalty"].update(half_life_days=0), "kinds.penalty.half_life_days"),
            (lambda r: r["thresholds"].update(B="90"), "thresholds"),
            (
                lambda r: r["measures"]["D"].update(extra_review_departments=["police"]),
                "measures.D.extra_review_departments",
            ),
            (lambda r: r["measures"]["A"].update(fast_lane="yes"), "measures.A.fast_lane"),
            (lambda r: r["overrides"].update(certificate_to_a=["ISO9001"]), "overrides.certificate_to_a"),
            (lambda r: r.update(repaired_factor="2"), "repaired_factor"),
            (lambda r: r.update(base_score="120"), "base_score"),
        ],
    )
    def test_each_bad_value_is_named(self, change, path: str) -> None:
        rules = default_rules()
        change(rules)
        with pytest.raises(ValidationFailed) as caught:
            validate_rules(rules)
        assert path in caught.value.fields
