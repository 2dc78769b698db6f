"""Seed policy version 1 with the default rules (their reasoning: ftzsafety/credit/policies.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from ftzsafety.credit.policies import default_rules

    CreditPolicy = apps.get_model("credit", "CreditPolicy")
    if not CreditPolicy.objects.exists():
        CreditPolicy.objects.create(version=1, rules=default_rules(), note="default policy (issue 8)")


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
