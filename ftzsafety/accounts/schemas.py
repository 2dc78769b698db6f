from ninja import Schema


class OrganisationOut(Schema):
    code: str
    kind: str
    department_code: str
    name_zh: str
    name_en: str
    is_demo: bool


class MeOut(Schema):
    username: str
    full_name: str
    organisation: OrganisationOut | None
    roles: list[str]
    is_government: bool
    is_enterprise_user: bool
    is_platform_admin: bool
    enterprise_uscc: str | None
