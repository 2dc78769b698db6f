"""Registry pages: list (search, filters, pagination, htmx fragment), detail, create and edit, and who may do what.
Denied requests are asserted to change nothing."""

import re

import pytest
from django.urls import reverse

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.models import Classification
from ftzsafety.enterprises.models import Enterprise
from tests.enterprises.factories import EnterpriseFactory, ZoneAreaFactory, make_uscc
from tests.portal.html_checks import assert_csp_clean

LIST = reverse("enterprises:list")


def rows(html: str) -> list[str]:
    return re.findall(r'class="enterprise-link">([^<]+)</a>', html)


@pytest.fixture
def park(db):
    return ZoneAreaFactory(
        code="bonded",
        name_zh="保税物流园区",
        name_en="Bonded logistics park",
        kind="bonded_logistics",
        boundary={
            "type": "Polygon",
            "coordinates": [[[117.60, 38.90], [117.65, 38.90], [117.65, 38.93], [117.60, 38.93], [117.60, 38.90]]],
        },
    )


@pytest.fixture
def registry(db, zone_admin_org, park):
    """Thirty enterprises: 20 storage firms in the port area, 10 foreign-invested electronics makers in the park."""
    port = ZoneAreaFactory()
    storage = [EnterpriseFactory(area=port, name_zh=f"滨海仓储{n:02d}有限公司") for n in range(20)]
    makers = [
        EnterpriseFactory(
            area=park,
            name_zh=f"锂电科技{n:02d}有限公司",
            name_en=f"Lithium Tech {n:02d} Co., Ltd.",
            foreign_invested=True,
            investor_country="KR",
            organisation_form="wfoe",
            industry_section="C",
            industry_class_id="3841",
        )
        for n in range(10)
    ]
    return {"storage": storage, "makers": makers}


class TestList:
    def test_first_page_count_and_csp(self, api_client, emergency_officer, registry):
        response = api_client(emergency_officer).get(LIST)
        assert response.status_code == 200
        html = assert_csp_clean(response)
        assert "30 enterprises" in html
        assert len(rows(html)) == 25
        assert "page 1 of 2" in html
        assert 'hx-push-url="true"' in html
        assert "<html" in html

    def test_second_page(self, api_client, emergency_officer, registry):
        html = api_client(emergency_officer).get(LIST, {"page": 2}).content.decode()
        assert len(rows(html)) == 5

    def test_search_by_part_of_the_name(self, api_client, emergency_officer, registry):
        html = api_client(emergency_officer).get(LIST, {"q": "锂电科技03"}).content.decode()
        assert rows(html) == ["Lithium Tech 03 Co., Ltd."]  # the English name, since the client asks for English

    def test_search_by_credit_code_prefix(self, api_client, emergency_officer, registry):
        target = registry["storage"][7]
        html = api_client(emergency_officer).get(LIST, {"q": target.uscc[:14].lower()}).content.decode()
        assert target.uscc in html

    def test_filters_combine_and_page_links_keep_them(self, api_client, emergency_officer, registry, park):
        more = [EnterpriseFactory(area=park, name_zh=f"保税仓储{n:02d}有限公司") for n in range(30)]
        client = api_client(emergency_officer)
        html = client.get(LIST, {"area": "bonded", "foreign_invested": "false"}).content.decode()
        assert f"{len(more)} enterprises" in html
        assert 'href="?area=bonded&amp;foreign_invested=false&amp;page=2"' in html
        html = client.get(LIST, {"area": "bonded", "foreign_invested": "false", "page": 2}).content.decode()
        assert len(rows(html)) == 5
        assert 'href="?area=bonded&amp;foreign_invested=false&amp;page=1"' in html

    def test_industry_and_foreign_filters(self, api_client, emergency_officer, registry):
        client = api_client(emergency_officer)
        assert "10 enterprises" in client.get(LIST, {"industry_section": "C"}).content.decode()
        assert "10 enterprises" in client.get(LIST, {"foreign_invested": "true"}).content.decode()
        assert "20 enterprises" in client.get(LIST, {"industry_section": "G"}).content.decode()

    def test_a_stale_filter_value_is_ignored(self, api_client, emergency_officer, registry):
        html = api_client(emergency_officer).get(LIST, {"area": "gone", "page": "x"}).content.decode()
        assert "30 enterprises" in html

    def test_empty_state(self, api_client, emergency_officer, registry):
        html = api_client(emergency_officer).get(LIST, {"q": "不存在的企业"}).content.decode()
        assert 'data-testid="empty-state"' in html
        assert "No enterprise matches these filters." in html

    def test_htmx_request_gets_only_the_results_fragment(self, api_client, emergency_officer, registry):
        response = api_client(emergency_officer).get(LIST, {"q": "锂电"}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="enterprise-results"')
        assert "<html" not in html
        assert len(rows(html)) == 10
        assert "HX-Request" in response.headers["Vary"]

    def test_history_restore_gets_the_whole_page(self, api_client, emergency_officer, registry):
        html = (
            api_client(emergency_officer)
            .get(LIST, {"q": "锂电"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
            .content.decode()
        )
        assert "<html" in html

    def test_register_button_only_for_registry_keepers(self, api_client, emergency_officer, commander, registry):
        assert 'data-testid="enterprise-create"' not in api_client(emergency_officer).get(LIST).content.decode()
        assert 'data-testid="enterprise-create"' in api_client(commander).get(LIST).content.decode()

    def test_enterprise_user_lists_only_its_own(self, api_client, enterprise_admin, enterprise, registry):
        html = api_client(enterprise_admin).get(LIST).content.decode()
        assert "1 enterprise" in html
        assert rows(html) == [enterprise.name_en]

    def test_platform_admin_may_not_open_the_registry(self, api_client, system_admin, registry):
        html = api_client(system_admin).get(LIST).content.decode()
        assert "0 enterprises" in html or "There are no enterprises" in html

    def test_anonymous_is_sent_to_sign_in(self, client, registry):
        assert client.get(LIST).status_code == 302


class TestDetail:
    def test_all_registry_fields(self, api_client, emergency_officer, registry):
        maker = registry["makers"][0]
        response = api_client(emergency_officer).get(reverse("enterprises:detail", args=[maker.uscc]))
        assert response.status_code == 200
        html = assert_csp_clean(response)
        for text in (
            maker.uscc,
            maker.name_zh,
            maker.name_en,
            "Wholly foreign-owned enterprise",
            "South Korea",
            "C Manufacturing",
            "3841",
            "Bonded logistics park",
            maker.address,
            maker.business_scope,
            "Classification: Public",
        ):
            assert text in html, text
        assert 'data-map="enterprise-map-data"' in html
        assert 'data-testid="enterprise-edit"' not in html  # an officer does not keep the registry

    def test_lower_case_code_finds_it(self, api_client, emergency_officer, registry):
        maker = registry["makers"][0]
        response = api_client(emergency_officer).get(reverse("enterprises:detail", args=[maker.uscc.lower()]))
        assert response.status_code == 200

    def test_unknown_code_is_the_404_page(self, api_client, emergency_officer, registry):
        response = api_client(emergency_officer).get(reverse("enterprises:detail", args=[make_uscc()]))
        assert response.status_code == 404
        html = assert_csp_clean(response)
        assert 'data-testid="error-404"' in html
        assert "Enterprise not found." in html

    def test_confidential_enterprise_is_invisible_to_other_departments(self, api_client, customs_reviewer, db):
        secret = EnterpriseFactory(classification=Classification.CONFIDENTIAL)
        response = api_client(customs_reviewer).get(reverse("enterprises:detail", args=[secret.uscc]))
        assert response.status_code == 404

    def test_no_map_without_a_location(self, api_client, emergency_officer, db, zone_admin_org):
        nowhere = EnterpriseFactory(latitude=None, longitude=None)
        html = api_client(emergency_officer).get(reverse("enterprises:detail", args=[nowhere.uscc])).content.decode()
        assert "enterprise-map-data" not in html
        assert "No location recorded." in html


class TestCreate:
    url = reverse("enterprises:create")

    def test_form_renders_for_a_registry_keeper(self, api_client, commander, park):
        response = api_client(commander).get(self.url)
        assert response.status_code == 200
        html = assert_csp_clean(response)
        assert 'name="uscc"' in html
        assert 'name="override_check_character"' in html
        assert "3841 " in html  # industry classes are offered

    def test_registers_and_redirects_with_a_message(self, api_client, commander, park):
        client = api_client(commander)
        data = {
            "uscc": "91120116ma05xb3k4y",
            "name_zh": "滨海锂电科技有限公司",
            "organisation_form": "limited_liability",
            "industry_section": "C",
            "industry_class": "3841",
            "area": "bonded",
            "latitude": "38.91",
            "longitude": "117.62",
            "classification": "public",
        }
        response = client.post(self.url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response.url == reverse("enterprises:detail", args=["91120116MA05XB3K4Y"])
        enterprise = Enterprise.objects.get(uscc="91120116MA05XB3K4Y")
        assert enterprise.area.code == "bonded"
        assert enterprise.foreign_invested is False
        assert AuditRecord.objects.filter(action="enterprises.enterprise.create", target_id=str(enterprise.pk)).exists()
        html = client.get(response.url).content.decode()
        assert "has been registered" in html

    def test_wrong_check_character_is_shown_on_the_field(self, api_client, commander, park):
        data = {"uscc": "914403001922038217", "name_zh": "x", "organisation_form": "limited_liability"}
        response = api_client(commander).post(self.url, data)
        assert response.status_code == 200
        html = response.content.decode()
        errors = re.search(r'data-testid="errors-uscc">(.*?)</ul>', html, re.DOTALL).group(1)
        assert "expected “6”" in errors
        section_errors = re.search(r'data-testid="errors-industry_section">(.*?)</ul>', html, re.DOTALL).group(1)
        assert "This field is required." in section_errors
        assert not Enterprise.objects.filter(uscc="914403001922038217").exists()

    def test_messages_follow_the_users_language(self, client, commander, park):
        client.force_login(commander)
        response = client.post(self.url, {"uscc": "914403001922038217"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        html = response.content.decode()
        errors = re.search(r'data-testid="errors-uscc">(.*?)</ul>', html, re.DOTALL).group(1)
        assert "“6”" in errors
        assert "expected" not in errors

    def test_duplicate_code_is_a_field_error(self, api_client, commander, registry):
        existing = registry["storage"][0]
        data = {
            "uscc": existing.uscc,
            "name_zh": "重复",
            "organisation_form": "limited_liability",
            "industry_section": "G",
        }
        html = api_client(commander).post(self.url, data).content.decode()
        assert "already registered" in re.search(r'data-testid="errors-uscc">(.*?)</ul>', html, re.DOTALL).group(1)

    @pytest.mark.parametrize("role", ["emergency_officer", "enterprise_admin", "association_staff", "system_admin"])
    def test_others_get_403_and_nothing_is_written(self, api_client, request, role, park):
        user = request.getfixturevalue(role)
        client = api_client(user)
        before = Enterprise.objects.count()
        assert client.get(self.url).status_code == 403
        response = client.post(
            self.url,
            {
                "uscc": "91120116MA05XB3K4Y",
                "name_zh": "x",
                "organisation_form": "limited_liability",
                "industry_section": "C",
            },
        )
        assert response.status_code == 403
        assert 'data-testid="error-403"' in response.content.decode()
        assert Enterprise.objects.count() == before


class TestEdit:
    def test_enterprise_admin_edits_its_own_address(self, api_client, enterprise_admin, enterprise):
        url = reverse("enterprises:edit", args=[enterprise.uscc])
        client = api_client(enterprise_admin)
        html = assert_csp_clean(client.get(url))
        # Only the self-service fields are on the form.
        assert 'name="address"' in html
        assert 'name="name_zh"' not in html
        assert 'name="industry_section"' not in html
        response = client.post(
            url,
            {
                "name_en": enterprise.name_en,
                "address": "滨海自贸试验区港口大道88号",
                "latitude": enterprise.latitude,
                "longitude": enterprise.longitude,
                "business_scope": enterprise.business_scope,
                "name_zh": "篡改的名称",  # not on the form: ignored
            },
        )
        assert response.status_code == 302
        enterprise.refresh_from_db()
        assert enterprise.address == "滨海自贸试验区港口大道88号"
        assert enterprise.name_zh == "滨海化工仓储有限公司"
        audit = AuditRecord.objects.get(action="enterprises.enterprise.update", target_id=str(enterprise.pk))
        assert audit.after == {"address": "滨海自贸试验区港口大道88号"}

    def test_enterprise_admin_cannot_open_another_enterprises_edit_page(
        self, api_client, enterprise_admin, other_enterprise
    ):
        url = reverse("enterprises:edit", args=[other_enterprise.uscc])
        client = api_client(enterprise_admin)
        assert client.get(url).status_code == 404
        before = Enterprise.objects.values().get(pk=other_enterprise.pk)
        response = client.post(url, {"address": "被篡改的地址"})
        assert response.status_code == 404
        assert Enterprise.objects.values().get(pk=other_enterprise.pk) == before
        assert not AuditRecord.objects.filter(action="enterprises.enterprise.update", outcome="ok").exists()

    def test_enterprise_staff_may_not_edit(self, api_client, enterprise_staff, enterprise):
        url = reverse("enterprises:edit", args=[enterprise.uscc])
        client = api_client(enterprise_staff)
        assert client.get(url).status_code == 403
        before = Enterprise.objects.values().get(pk=enterprise.pk)
        assert client.post(url, {"address": "x"}).status_code == 403
        assert Enterprise.objects.values().get(pk=enterprise.pk) == before

    def test_officer_without_registry_rights_gets_403(self, api_client, emergency_officer, enterprise):
        url = reverse("enterprises:edit", args=[enterprise.uscc])
        client = api_client(emergency_officer)
        assert client.get(url).status_code == 403
        before = Enterprise.objects.values().get(pk=enterprise.pk)
        assert client.post(url, {"address": "x"}).status_code == 403
        assert Enterprise.objects.values().get(pk=enterprise.pk) == before

    def test_commander_sees_every_registry_field_and_service_errors_land_on_fields(
        self, api_client, commander, enterprise
    ):
        url = reverse("enterprises:edit", args=[enterprise.uscc])
        client = api_client(commander)
        html = client.get(url).content.decode()
        for name in ("name_zh", "organisation_form", "industry_class", "area", "classification"):
            assert f'name="{name}"' in html, name
        assert 'name="uscc"' not in html  # the code never changes
        form = {
            "name_zh": enterprise.name_zh,
            "organisation_form": "wfoe",  # foreign form but not marked foreign-invested
            "industry_section": "G",
            "industry_class": "5942",
            "classification": "public",
        }
        response = client.post(url, form)
        assert response.status_code == 200
        html = response.content.decode()
        errors = re.search(r'data-testid="errors-foreign_invested">(.*?)</ul>', html, re.DOTALL).group(1)
        assert "foreign-invested" in errors
        enterprise.refresh_from_db()
        assert enterprise.organisation_form == "limited_liability"
