from django.db import migrations


def load(apps, schema_editor):
    from ftzsafety.hazards.reference_data import load as load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
