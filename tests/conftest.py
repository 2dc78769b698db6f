"""Named people, one per role, in a small zone; and API clients for them.

Every test that writes asserts the audit row; tests log in as these named users (Zulip's habit).
"""

from collections.abc import Callable

import pytest
from django.test import Client

from ftzsafety.accounts.choices import OrganisationKind
from ftzsafety.accounts.models import User
from ftzsafety.accounts.services import api_token_create
from tests.accounts.factories import OrganisationFactory, UserFactory, department
from tests.enterprises.factories import EnterpriseFactory


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: object) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True, scope="session")
def _audit_flush_allowed() -> object:
    """Transactional tests flush every table afterwards; the audit tables' append-only triggers let that through
    only via the audit purge gate (ftzsafety/audit/db_guard.py). Production `flush` stays refused."""
    from ftzsafety.audit.db_guard import flush_allowed_in_tests

    with flush_allowed_in_tests():
        yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> object:
    """The public endpoints' rate limits (core.ratelimit) count per address in the cache, and every test client
    comes from 127.0.0.1: each test starts and ends with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tmp_key_dir(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test gets its own empty key store (SM4 data keys, zone SM2 key), never var/keys."""
    settings.KEY_DIR = tmp_path_factory.mktemp("keys", numbered=True) / "keys"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Argon2 is deliberately slow; tests that are about hashing override this back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def zone_admin_org(db: None):
    return department("zone_admin")


@pytest.fixture
def enterprise(db: None, zone_admin_org):
    """A hazardous-chemicals storage firm in the port area, with its own account organisation."""
    org = OrganisationFactory(kind=OrganisationKind.ENTERPRISE, code="ent-binhai-chem", name_zh="滨海化工仓储有限公司")
    return EnterpriseFactory(
        organisation=org, name_zh="滨海化工仓储有限公司", name_en="Binhai Chemical Storage Co., Ltd."
    )


@pytest.fixture
def other_enterprise(db: None, zone_admin_org):
    org = OrganisationFactory(kind=OrganisationKind.ENTERPRISE, code="ent-other", name_zh="海港物流有限公司")
    return EnterpriseFactory(
        organisation=org, name_zh="海港物流有限公司", name_en="Haigang Logistics Co., Ltd.", industry_class_id="5821"
    )


def _user(username: str, org, *roles: str) -> User:
    return UserFactory(username=username, organisation=org, roles=list(roles))


@pytest.fixture
def commander(db: None, zone_admin_org) -> User:
    return _user("commander", zone_admin_org, "commander")


@pytest.fixture
def analyst(db: None, zone_admin_org) -> User:
    return _user("analyst", zone_admin_org, "analyst")


@pytest.fixture
def emergency_officer(db: None) -> User:
    return _user("emergency_officer", department("emergency"), "officer")


@pytest.fixture
def emergency_head(db: None) -> User:
    return _user("emergency_head", department("emergency"), "department_head")


@pytest.fixture
def customs_reviewer(db: None) -> User:
    return _user("customs_reviewer", department("customs"), "reviewer")


@pytest.fixture
def enterprise_admin(enterprise) -> User:
    return _user("enterprise_admin", enterprise.organisation, "enterprise_admin")


@pytest.fixture
def enterprise_staff(enterprise) -> User:
    return _user("enterprise_staff", enterprise.organisation, "enterprise_staff")


@pytest.fixture
def association_staff(db: None) -> User:
    org = OrganisationFactory(kind=OrganisationKind.ASSOCIATION, code="assoc-chem", name_zh="滨海化工行业协会")
    return _user("association_staff", org, "association_staff")


@pytest.fixture
def agency_staff(db: None) -> User:
    org = OrganisationFactory(kind=OrganisationKind.AGENCY, code="agency-test", name_zh="滨海检验检测有限公司")
    return _user("agency_staff", org, "agency_staff")


@pytest.fixture
def platform_org(db: None):
    return OrganisationFactory(kind=OrganisationKind.PLATFORM, code="platform", name_zh="平台运维中心")


@pytest.fixture
def system_admin(platform_org) -> User:
    return _user("system_admin", platform_org, "system_admin")


@pytest.fixture
def security_admin(platform_org) -> User:
    return _user("security_admin", platform_org, "security_admin")


@pytest.fixture
def audit_admin(platform_org) -> User:
    return _user("audit_admin", platform_org, "audit_admin")


@pytest.fixture
def api_client(db: None) -> Callable[[User | None], Client]:
    """`api_client(user)`: a client signed in by session (None: anonymous). JSON in, JSON out."""

    def make(user: User | None = None) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def bearer_client(db: None) -> Callable[[User], Client]:
    """`bearer_client(user)`: a client that authenticates with a freshly issued API token only."""

    def make(user: User) -> Client:
        issued = api_token_create(actor=None, user=user, expires_days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}", HTTP_ACCEPT_LANGUAGE="en")

    return make
