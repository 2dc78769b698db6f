"""Encrypt TOTP secrets at rest: give every user a row key, then re-store each secret through the encrypted field."""

import uuid

from django.db import migrations, models

import ftzsafety.security.fields


def fill_row_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for pk in User.objects.values_list("pk", flat=True):
        User.objects.filter(pk=pk).update(row_key=uuid.uuid4())


def read_plain_secrets(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, totp_secret FROM accounts_user WHERE totp_secret <> ''")
        _PLAIN.update(dict(cursor.fetchall()))
    User = apps.get_model("accounts", "User")
    User.objects.filter(pk__in=list(_PLAIN)).update(totp_secret="")


def store_encrypted(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(pk__in=list(_PLAIN)):
        user.totp_secret = _PLAIN[user.pk]
        user.save(update_fields=["totp_secret"])
    _PLAIN.clear()


_PLAIN: dict[int, str] = {}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_login_security")]

    operations = [
        migrations.AddField(
            model_name="user", name="row_key", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(fill_row_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="row_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.RunPython(read_plain_secrets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="totp_secret",
            field=ftzsafety.security.fields.EncryptedCharField(
                blank=True, default="", max_length=64, verbose_name="TOTP secret"
            ),
        ),
        migrations.RunPython(store_encrypted, migrations.RunPython.noop),
    ]
