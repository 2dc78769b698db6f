"""Masking: each kind's rule, the free-text scanner (and the numbers it must leave alone), and masking driven by
a model's `sensitive_fields` and the viewer's clearance."""

import datetime as dt
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import strategies as st

from ftzsafety.core.codes import resident_id_check_character, uscc_is_valid
from ftzsafety.core.models import Classification, SensitiveKind
from ftzsafety.enterprises.models import Enterprise
from ftzsafety.security import masking
from ftzsafety.security.masking import (
    mask,
    mask_address,
    mask_commercial_figure,
    mask_email,
    mask_instance,
    mask_instances,
    mask_person_name,
    mask_phone,
    mask_resident_id,
    mask_text,
)
from ftzsafety.security.models import AccessRequest, Grant
from tests.enterprises.factories import EnterpriseFactory, make_uscc


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_character(first17)


VALID_ID = resident_id("11010519491231002")  # 11010519491231002X


class TestKinds:
    def test_resident_id_keeps_division_and_last_four(self):
        assert mask_resident_id("110105194912310021") == "110105********0021"
        assert mask_resident_id(VALID_ID) == "110105********002X"

    @pytest.mark.parametrize(
        ("phone", "masked"),
        [
            ("13812345678", "138****5678"),
            ("+86 13812345678", "+86 138****5678"),
            ("138-1234-5678", "138-****-5678"),
            ("022-12345678", "022-****5678"),
        ],
    )
    def test_phone(self, phone, masked):
        assert mask_phone(phone) == masked

    @pytest.mark.parametrize(
        ("name", "masked"),
        [
            ("张三", "张*"),
            ("欧阳娜娜", "欧***"),
            ("John Smith", "J*** S****"),
            ("阿卜杜·热合曼", "阿**·***"),
            ("王", "*"),
        ],
    )
    def test_person_name(self, name, masked):
        assert mask_person_name(name) == masked

    @pytest.mark.parametrize(
        ("address", "masked"),
        [
            ("天津市滨海新区港口大道1号", "天津市滨海新区***"),
            ("广东省广州市天河区体育西路101号", "广东省广州市天河区***"),
            ("内蒙古自治区呼和浩特市新城区新华大街5号", "内蒙古自治区呼和浩特市新城区***"),
            ("浙江省杭州西湖区文三路某某市场", "浙江省杭州西湖区***"),
            ("1 Harbour Road, Binhai New Area, Tianjin", "***, Binhai New Area, Tianjin"),
        ],
    )
    def test_address_keeps_divisions_down_to_the_district(self, address, masked):
        assert mask_address(address) == masked

    @pytest.mark.parametrize(
        ("figure", "masked"),
        [
            (3456789, "1,000,000–10,000,000"),
            ("1000", "1,000–10,000"),
            ("999.99", "100–1,000"),
            (-52000, "-(10,000–100,000)"),
            ("not a number", "***"),
            (0, "***"),
        ],
    )
    def test_commercial_figure_becomes_a_range(self, figure, masked):
        assert mask_commercial_figure(figure) == masked

    def test_email_and_credit_code(self):
        assert mask_email("zhangsan@example.com") == "z*******@example.com"
        assert masking.mask_uscc("91120116MA05XYZ12K") == "91120116********2K"

    def test_empty_values_stay_empty(self):
        for kind in SensitiveKind.values:
            assert mask(kind, "") == ""
            assert mask(kind, None) is None


class TestScanner:
    def test_masks_ids_codes_and_mobiles_in_chinese_text(self):
        code = make_uscc(random.Random(7))
        text = f"当事人身份证{VALID_ID}，企业信用代码{code}，联系电话13812345678，备用 138 1234 5678。"
        masked = mask_text(text)
        assert VALID_ID not in masked
        assert "110105********002X" in masked
        assert code not in masked
        assert code[:8] in masked
        assert "13812345678" not in masked
        assert "138****5678" in masked
        assert "138 **** 5678" in masked

    @pytest.mark.parametrize(
        "text",
        [
            "订单号 110105194912310021 已签收",  # 18 digits whose ID check character is wrong
            "运单 110105199902300012",  # 30 February: not a birth date
            "流水号 202411130001381234567801",  # a mobile-looking run inside a longer number
            "集装箱 TGHU1234567 重量 12345678901 克",  # 11 digits that do not start 13-19
            "counterrevolutions and 1234567890abcdefgh",  # 18 letters and digits, not a credit code
        ],
    )
    def test_false_positives_are_left_alone(self, text):
        assert mask_text(text) == text

    @given(st.from_regex(r"\A\d{17}[0-9X]\Z"))
    def test_an_18_digit_number_failing_every_check_is_left_alone(self, number):
        assume(not masking._is_resident_id(number))
        assume(not (masking._is_credit_code(number) and uscc_is_valid(number)))
        assume(not masking._MOBILE_RE.search(number))
        assert mask_text(f"编号{number}。") == f"编号{number}。"

    @given(
        st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31)),
        st.from_regex(r"\A\d{6}\Z"),
        st.from_regex(r"\A\d{3}\Z"),
        st.text(alphabet="，。：的号码是 ()=", max_size=8),  # not letters: a run inside a token is no number
    )
    def test_every_valid_resident_id_is_masked(self, born, division, sequence, around):
        number = resident_id(division + born.strftime("%Y%m%d") + sequence)
        masked = mask_text(around + number + around)
        assert number not in masked
        assert number[:6] + "*" * 8 + number[-4:] in masked
        assert len(masked) == len(around + number + around)

    @given(st.from_regex(r"\A1[3-9]\d{9}\Z"), st.sampled_from(["电话", "tel: ", "（", ""]))
    def test_every_mobile_number_is_masked(self, mobile, prefix):
        masked = mask_text(f"{prefix}{mobile}。")
        assert mobile not in masked
        assert f"{mobile[:3]}****{mobile[-4:]}" in masked

    @given(st.text(max_size=80))
    def test_scanning_is_idempotent_and_keeps_length(self, text):
        once = mask_text(text)
        assert mask_text(once) == once
        assert len(once) == len(text)

    @given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=80))
    def test_text_without_digits_is_unchanged(self, text):
        assert mask_text(text) == text


class TestProperties:
    @given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=6))
    def test_chinese_name_keeps_the_surname_and_the_length(self, name):
        masked = mask_person_name(name)
        assert masked[0] == name[0]
        assert masked[1:] == "*" * (len(name) - 1)

    @given(st.from_regex(r"\A\d{17}[0-9X]\Z"))
    def test_resident_id_keeps_exactly_ten_characters(self, number):
        masked = mask_resident_id(number)
        assert len(masked) == 18
        assert masked[:6] == number[:6]
        assert masked[-4:] == number[-4:]
        assert masked[6:14] == "*" * 8

    @given(st.integers(min_value=1, max_value=10**15))
    def test_a_figure_lies_in_its_range(self, figure):
        low, high = (int(part.replace(",", "")) for part in mask_commercial_figure(figure).split("–"))
        assert low <= figure < high
        assert high == 10 * low

    @given(
        st.sampled_from(["天津市滨海新区", "上海市浦东新区", "江苏省苏州市工业园区", "广东省深圳市南山区"]),
        st.text(alphabet="港口大道科技园路街号栋室", min_size=1, max_size=10),
        st.integers(min_value=1, max_value=9999),
    )
    def test_an_address_never_keeps_street_or_number(self, divisions, street, number):
        masked = mask_address(f"{divisions}{street}{number}号")
        assert masked == f"{divisions}***"


# --- schema-driven masking and clearance ---------------------------------------------------------------

DECLARED = {"address": SensitiveKind.ADDRESS, "business_scope": SensitiveKind.FREE_TEXT}


@pytest.fixture
def declared(monkeypatch):
    """Declare two of Enterprise's columns sensitive, as a supervision model of a later issue would."""
    monkeypatch.setattr(Enterprise, "sensitive_fields", DECLARED)


@pytest.fixture
def grant_for():
    """A live grant made directly (the approval chain is tested in test_grants.py)."""

    def make(user, obj, *, fields=(), record=True, days=30):
        scope = {
            "content_type": ContentType.objects.get_for_model(obj),
            "object_id": obj.pk if record else None,
            "owner": obj.owner,
            "fields": list(fields),
            "purpose": "隐患排查需要核实联系人",
            "valid_until": timezone.localdate() + dt.timedelta(days=days),
        }
        request = AccessRequest.objects.create(
            requester=user, requester_organisation=user.organisation, status="approved", **scope
        )
        return Grant.objects.create(request=request, user=user, valid_from=timezone.now(), **scope)

    return make


@pytest.fixture
def row(declared, enterprise):
    enterprise.address = "天津市滨海新区港口大道1号"
    enterprise.business_scope = f"联系人电话13812345678，身份证{VALID_ID}"
    enterprise.classification = Classification.INTERNAL
    enterprise.save()
    return enterprise


@pytest.mark.django_db
class TestMaskInstance:
    def test_other_government_people_see_declared_fields_masked(self, row, emergency_officer):
        values = mask_instance(emergency_officer, row, ["name_zh", "address", "business_scope"])
        assert values["name_zh"] == row.name_zh  # not declared: as stored
        assert values["address"] == "天津市滨海新区***"
        assert "138****5678" in values["business_scope"]
        assert VALID_ID not in values["business_scope"]

    def test_owner_organisation_and_the_enterprise_itself_see_clear(self, row, commander, enterprise_staff):
        for viewer in (commander, enterprise_staff):  # zone administration owns the row; the firm is its subject
            values = mask_instance(viewer, row, ["address", "business_scope"])
            assert values == {"address": row.address, "business_scope": row.business_scope}

    def test_a_live_grant_clears_only_its_fields(self, row, emergency_officer, grant_for):
        grant_for(emergency_officer, row, fields=["address"])
        values = mask_instance(emergency_officer, row, ["address", "business_scope"])
        assert values["address"] == row.address
        assert "138****5678" in values["business_scope"]

    def test_a_revoked_or_expired_grant_clears_nothing(self, row, emergency_officer, grant_for):
        grant = grant_for(emergency_officer, row, fields=["address"])
        grant.valid_until = timezone.localdate() - dt.timedelta(days=2)
        grant.save()
        assert mask_instance(emergency_officer, row, ["address"])["address"] == "天津市滨海新区***"

    def test_default_fields_are_every_concrete_field_with_foreign_keys_as_ids(self, row, emergency_officer):
        values = mask_instance(emergency_officer, row)
        assert values["owner"] == row.owner_id
        assert values["uscc"] == row.uscc
        assert values["address"] == "天津市滨海新区***"

    def test_a_list_loads_grants_once(self, row, emergency_officer, django_assert_num_queries):
        rows = [row, *EnterpriseFactory.create_batch(3, address="北京市朝阳区建国路88号")]
        with django_assert_num_queries(2):  # the viewer's role names, then the grants — not one per row
            masked = mask_instances(emergency_officer, rows, ["address"])
        assert [m["address"] for m in masked] == ["天津市滨海新区***"] + ["北京市朝阳区***"] * 3

    def test_platform_administrators_and_anonymous_see_masked(self, row, security_admin):
        assert mask_instance(security_admin, row, ["address"])["address"] == "天津市滨海新区***"
        assert mask_instance(None, row, ["address"])["address"] == "天津市滨海新区***"

    def test_a_model_without_declarations_is_returned_as_is(self, enterprise, emergency_officer):
        assert mask_instance(emergency_officer, enterprise, ["address"]) == {"address": enterprise.address}


@pytest.mark.django_db
def test_a_declaration_naming_a_missing_field_fails_the_system_check(monkeypatch):
    monkeypatch.setattr(Enterprise, "sensitive_fields", {"no_such_field": "phone", "address": "shoe_size"})
    ids = {error.id for error in Enterprise.check()}
    assert {"core.E001", "core.E002"} <= ids


def test_digits_inside_a_token_are_not_a_phone_number():
    from ftzsafety.security.masking import mask_text

    assert mask_text("sm3=ab13812345678cd") == "sm3=ab13812345678cd"
    assert mask_text("联系电话13812345678。") == "联系电话138****5678。"
