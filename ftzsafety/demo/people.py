"""Fictional responsible persons for the demo enterprises: names, resident ID numbers with a valid GB 11643
check character (address code of the demo district, plausible birth dates), and mobile numbers. Demo data only."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ftzsafety.core.codes import resident_id_check_character
from ftzsafety.demo.enterprises import DIVISION_CODE

SEED = 20261130
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海波宁晨阳浩然思远雨欣子涵梓轩一鸣嘉怡"
MOBILE_PREFIXES = ("133", "135", "136", "138", "139", "150", "151", "158", "159", "177", "186", "188", "189", "199")


@dataclass(frozen=True)
class DemoPerson:
    name: str
    resident_id: str
    phone: str


def _person(rng: random.Random) -> DemoPerson:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    born = date(1962, 1, 1) + timedelta(days=rng.randrange(0, 365 * 36))
    first17 = f"{DIVISION_CODE}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"
    return DemoPerson(name, first17 + resident_id_check_character(first17), phone)


def people_for(uscc: str, count: int) -> list[DemoPerson]:
    """Deterministic per enterprise, so a forced re-seed makes the same people."""
    rng = random.Random(f"{SEED}:{uscc}")  # noqa: S311 - reproducible demo data, not a secret
    return [_person(rng) for _ in range(count)]
