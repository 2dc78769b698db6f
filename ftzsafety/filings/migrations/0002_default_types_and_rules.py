from django.db import migrations


def load(apps, schema_editor):
    from ftzsafety.filings.defaults import RULES, TYPES

    FilingType = apps.get_model("filings", "FilingType")
    ReviewRule = apps.get_model("filings", "ReviewRule")
    types = {}
    for code, name_zh, name_en in TYPES:
        types[code], _created = FilingType.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en}
        )
    for code, department, condition, hours, source in RULES:
        ReviewRule.objects.get_or_create(
            filing_type=types[code],
            department=department,
            condition=condition,
            defaults={"deadline_hours": hours, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("filings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
