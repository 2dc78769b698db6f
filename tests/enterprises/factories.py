import random

import factory

from ftzsafety.core.codes import USCC_ALPHABET, uscc_make
from ftzsafety.enterprises.choices import AreaKind, IndustrySection, OrganisationForm
from ftzsafety.enterprises.models import Enterprise, ZoneArea

_rng = random.Random(20261129)
_ORG_CODE_ALPHABET = [c for c in USCC_ALPHABET if c.isdigit() or c in "ABCDEFGHJKLMNPQRTUWXY"]


def make_uscc(rng: random.Random = _rng) -> str:
    """A valid credit code with a valid GB 11714 organisation code inside it."""
    while True:
        body = "MA" + "".join(rng.choice(_ORG_CODE_ALPHABET) for _ in range(6))
        try:
            return uscc_make(authority="9", org_type="1", division="120116", org_code_body=body)
        except ValueError:  # an organisation-code check character outside the credit-code alphabet
            continue


class ZoneAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZoneArea
        django_get_or_create = ("code",)

    code = "port"
    name_zh = "港口作业区"
    name_en = "Port area"
    kind = AreaKind.PORT
    boundary = factory.LazyFunction(
        lambda: {
            "type": "Polygon",
            "coordinates": [[[117.70, 38.95], [117.80, 38.95], [117.80, 39.00], [117.70, 39.00], [117.70, 38.95]]],
        }
    )


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.LazyFunction(make_uscc)
    name_zh = factory.Sequence(lambda n: f"滨海测试化工仓储有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Binhai Test Chemical Storage Co., Ltd. {n}")
    organisation_form = OrganisationForm.LIMITED_LIABILITY
    industry_section = IndustrySection.G
    industry_class_id = "5942"
    area = factory.SubFactory(ZoneAreaFactory)
    address = "滨海自贸试验区港口大道1号"
    latitude = 38.97
    longitude = 117.75
    business_scope = "危险化学品仓储（不含剧毒品）"
    owner = factory.LazyFunction(
        lambda: __import__("tests.accounts.factories", fromlist=["department"]).department("zone_admin")
    )
