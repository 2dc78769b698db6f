import factory
from django.contrib.auth.models import Group
from django.utils import translation

from ftzsafety.accounts.choices import DepartmentCode, OrganisationKind
from ftzsafety.accounts.models import Organisation, User

PASSWORD = "Test-Passw0rd!"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = OrganisationKind.ASSOCIATION
    code = factory.Sequence(lambda n: f"org-{n}")
    name_zh = factory.Sequence(lambda n: f"测试机构{n}")
    name_en = factory.Sequence(lambda n: f"Test organisation {n}")


def department(code: str) -> Organisation:
    """The department with this code, named in Chinese and English whatever language is active."""
    with translation.override("zh-hans"):
        name_zh = str(DepartmentCode(code).label)
    with translation.override("en"):
        name_en = str(DepartmentCode(code).label)
    kind = OrganisationKind.ZONE_ADMINISTRATION if code == DepartmentCode.ZONE_ADMIN else OrganisationKind.DEPARTMENT
    return OrganisationFactory(kind=kind, code=f"dept-{code}", department_code=code, name_zh=name_zh, name_en=name_en)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.set([Group.objects.get(name=role) for role in extracted])
        if create:
            self.save()
