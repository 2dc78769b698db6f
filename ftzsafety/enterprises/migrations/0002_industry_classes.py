"""Load the GB/T 4754-2017 classes the zone uses from enterprises/data/gb4754-2017-classes.csv (idempotent)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gb4754-2017-classes.csv"


def load(apps, schema_editor):
    IndustryClass = apps.get_model("enterprises", "IndustryClass")
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            IndustryClass.objects.update_or_create(
                code=row["code"],
                defaults={"section": row["section"], "name_zh": row["name_zh"], "name_en": row["name_en"]},
            )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
