"""The demo credit history: realistic events for demo enterprises, the ISM firm A, the false filer D, the account
firm with a good record; deterministic and skipped when it exists; every grade's explanation adds up."""

from decimal import Decimal

from ftzsafety.credit.models import CreditEvent, CreditGrade
from ftzsafety.credit.selectors import credit_explain, measures_for
from ftzsafety.demo.credit import seed_credit
from tests.enterprises.factories import EnterpriseFactory


def test_seed_credit(zone_admin_org, commander) -> None:
    classes = ["5521", "5162", "5169", "5942", "3841", "5821", "5292", "2710"] * 3
    firms = [EnterpriseFactory(is_demo=True, industry_class_id=code) for code in classes]
    account = next(f for f in firms if f.industry_class_id == "5169")
    counts = seed_credit(account_uscc=account.uscc)
    assert counts["credit_events"] == CreditEvent.objects.filter(is_demo=True).count() > len(firms)
    assert CreditGrade.objects.count() == len(firms)
    ordered = sorted(firms, key=lambda f: f.uscc)
    ism = next(f for f in ordered if f.industry_class_id == "5521")
    false_filer = next(f for f in ordered if f.industry_class_id == "5162")
    assert measures_for(enterprise=ism).grade == "A"
    assert measures_for(enterprise=ism).filing_priority == 1
    assert measures_for(enterprise=false_filer).grade == "D"
    assert measures_for(enterprise=false_filer).extra_review_departments == ("customs", "commerce")
    assert measures_for(enterprise=account).grade == "A"
    assert CreditEvent.objects.filter(enterprise=account, kind="hazard_overdue").count() == 1
    grades = set()
    for firm in firms:
        explanation = credit_explain(actor=commander, uscc=firm.uscc)
        assert sum((f["contribution"] for f in explanation.factors), Decimal(0)) == explanation.score
        grades.add(explanation.grade)
    assert {"A", "D"} <= grades
    assert all(e.detail.get("demo") is True for e in CreditEvent.objects.filter(is_demo=True))
    assert seed_credit(account_uscc=account.uscc) == {"credit_events": 0}
