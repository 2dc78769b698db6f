"""The demo logins and the seed summary, as text for the terminal."""

import unicodedata
from collections.abc import Sequence

from ftzsafety.accounts.models import User
from ftzsafety.accounts.roles import Role
from ftzsafety.demo.seed import SeedReport
from ftzsafety.demo.zone import AREAS_BY_CODE, DEMO_PASSWORD, USERS, ZONE_NAME_EN, ZONE_NAME_ZH


def display_width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(display_width(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c) + " " * (w - display_width(str(c))) for c, w in zip(cells, widths, strict=True))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)]).rstrip()


def demo_login_rows() -> list[tuple[str, str, str, str]]:
    """(user name, role, organisation, password) of the demo accounts present: demo.zone.USERS in order, then the
    rest by user name."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[s.username for s in USERS], is_demo=True).select_related(
            "organisation"
        )
    }
    rows = []
    for spec in USERS:
        user = users.get(spec.username)
        if user is not None and user.is_active:
            organisation = user.organisation.name_zh if user.organisation else ""
            rows.append((spec.username, str(Role(spec.role).label), organisation, DEMO_PASSWORD))
    # Then the demo accounts other demo modules add (field officers and department heads for dispatch and review).
    others = (
        User.objects.filter(is_demo=True, is_active=True)
        .exclude(username__in=[s.username for s in USERS])
        .select_related("organisation")
        .prefetch_related("groups")
        .order_by("username")
    )
    for user in others:
        roles = ", ".join(str(Role(g.name).label) for g in user.groups.all() if g.name in Role.values)
        organisation = user.organisation.name_zh if user.organisation else ""
        rows.append((user.username, roles, organisation, DEMO_PASSWORD))
    return rows


def logins_text() -> str:
    rows = demo_login_rows()
    if not rows:
        return "No demo accounts in this database."
    lines = [
        table(("user name", "role", "organisation", "password"), rows),
        "(The password is the demo password unless someone changed it.)",
        "",
        "Second factor (demo data only): government and platform roles sign in with a TOTP code.",
        "Add these URIs to an authenticator app (or: python -c \"import pyotp; print(pyotp.parse_uri('URI').now())\"):",
    ]
    lines += [f"  {username:<22} {uri}" for username, uri in demo_totp_uris()]
    return "\n".join(lines)


def demo_totp_uris() -> list[tuple[str, str]]:
    """otpauth URIs of the demo accounts that have a demo second-factor secret."""
    from ftzsafety.accounts.totp import provisioning_uri

    users = User.objects.filter(is_demo=True, is_active=True).prefetch_related("groups")
    secrets = {u.username: u.totp_secret for u in users if u.totp_secret and u.requires_second_factor}
    # In the order the logins are printed: demo.zone.USERS first, then the others by user name.
    return [
        (username, provisioning_uri(secret=secrets[username], username=username))
        for username, *_rest in demo_login_rows()
        if username in secrets
    ]


def report_text(report: SeedReport, seconds: float) -> str:
    lines = [f"Demo zone {ZONE_NAME_ZH} / {ZONE_NAME_EN}: seeded in {seconds:.1f} s."]
    for kind in ("areas", "organisations", "users", "enterprises"):
        lines.append(f"  {kind:<14}{report.created[kind]:>4} created, {report.existing[kind]:>4} already present")
    if report.enterprises:
        share = 100 * report.foreign / report.enterprises
        lines.append(f"  foreign-invested: {report.foreign} of {report.enterprises} ({share:.0f} %)")
        areas = ", ".join(
            f"{AREAS_BY_CODE[code].name_en} {n}" for code, n in sorted(report.by_area.items(), key=lambda x: -x[1])
        )
        lines.append(f"  by area: {areas}")
        sectors = ", ".join(f"{key.replace('_', ' ')} {n}" for key, n in report.by_sector.items())
        lines.append(f"  by industry: {sectors}")
    return "\n".join(lines)
