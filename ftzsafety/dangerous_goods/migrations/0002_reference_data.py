"""Load the reference lists shipped in dangerous_goods/data/ (idempotent; see dangerous_goods/loading.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from ftzsafety.dangerous_goods.loading import load_reference

    load_reference(apps=apps, loaded_by="migration")


class Migration(migrations.Migration):
    dependencies = [("dangerous_goods", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
