"""Encryption at rest, end to end on a real table: what the database holds, what the model returns, what an
attacker with SQL access can and cannot do, and key rotation.

The models live in their own app registry (app_label "security") so the rest of the suite, migrations and
`rotate_keys` on the real registry never see them; their tables are created and dropped around this module."""

# ruff: noqa: DJ008 - test models need no __str__

import base64
import uuid

import pytest
from django.apps.registry import Apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, models, transaction

from ftzsafety.audit.models import AuditRecord
from ftzsafety.security import crypto, fields, keys
from ftzsafety.security.fields import EncryptedCharField, EncryptedFieldError, EncryptedTextField, SealedValue

test_apps = Apps(["ftzsafety.security"])
broken_apps = Apps(["ftzsafety.security"])  # models that fail the system checks, kept out of the scans below

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


class Contact(models.Model):
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=50)
    resident_id = EncryptedCharField(max_length=18, blank=True)
    phone = EncryptedCharField(max_length=20, blank=True, null=True)

    class Meta:
        app_label = "security"
        db_table = "security_test_contact"
        apps = test_apps


class Supplier(models.Model):
    """Same column names in another table."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    resident_id = EncryptedTextField(blank=True, row_key_field="id")

    class Meta:
        app_label = "security"
        db_table = "security_test_supplier"
        apps = test_apps


class NoRowKey(models.Model):
    secret = EncryptedTextField()

    class Meta:
        app_label = "security"
        apps = broken_apps


class SharedRowKey(models.Model):
    row_key = models.UUIDField(default=uuid.uuid4)
    secret = EncryptedTextField()

    class Meta:
        app_label = "security"
        apps = broken_apps


TEST_MODELS = [Contact, Supplier]


@pytest.fixture(scope="module")
def _test_tables(django_db_setup, django_db_blocker):
    """Create the tables once, outside any test transaction (SQLite's schema editor cannot run inside one)."""
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            for model in TEST_MODELS:
                editor.create_model(model)
        yield
        with connection.schema_editor() as editor:
            for model in TEST_MODELS:
                editor.delete_model(model)


@pytest.fixture
def tables(_test_tables, db):
    """Each test runs in a transaction that is rolled back, rows and audit records alike."""


def _raw(table: str, column: str, pk) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test-only names
        return cursor.fetchone()[0]


def _raw_set(table: str, column: str, pk, value) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def _contact(**kwargs) -> Contact:
    return Contact.objects.create(**{"name": "张三", "resident_id": ID_NUMBER, "phone": PHONE, **kwargs})


@pytest.mark.usefixtures("tables")
class TestStorage:
    def test_round_trip(self):
        contact = _contact()
        loaded = Contact.objects.get(pk=contact.pk)
        assert loaded.resident_id == ID_NUMBER
        assert loaded.phone == PHONE

    def test_the_database_holds_key_id_and_ciphertext_only(self):
        contact = _contact()
        stored = _raw("security_test_contact", "resident_id", contact.pk)
        key_id, _, _encoded = stored.partition(":")
        assert key_id == keys.current_data_key()[0]
        assert ID_NUMBER not in stored
        assert PHONE not in _raw("security_test_contact", "phone", contact.pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM security_test_contact")
            dump = repr(cursor.fetchall())
        assert ID_NUMBER not in dump
        assert PHONE not in dump
        assert "张三" in dump  # the unencrypted column, for contrast

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="sqlite3 .dump")
    def test_sqlite_dump_shows_no_plaintext(self):
        _contact()
        dump = "\n".join(connection.connection.iterdump())
        assert "security_test_contact" in dump
        assert ID_NUMBER not in dump
        assert PHONE not in dump

    def test_equal_plaintexts_differ_in_the_database(self):
        first, second = _contact(), _contact()
        assert _raw("security_test_contact", "phone", first.pk) != _raw("security_test_contact", "phone", second.pk)

    def test_empty_and_null(self):
        contact = _contact(resident_id="", phone=None)
        assert _raw("security_test_contact", "resident_id", contact.pk) == ""
        assert _raw("security_test_contact", "phone", contact.pk) is None
        loaded = Contact.objects.get(pk=contact.pk)
        assert loaded.resident_id == ""
        assert loaded.phone is None
        assert list(Contact.objects.filter(resident_id="")) == [contact]
        assert list(Contact.objects.filter(phone__isnull=True)) == [contact]

    def test_decrypts_only_when_read(self, monkeypatch):
        contact = _contact()
        calls = []
        real = crypto.sm4_gcm_decrypt
        monkeypatch.setattr(crypto, "sm4_gcm_decrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
        loaded = Contact.objects.get(pk=contact.pk)
        assert isinstance(loaded.__dict__["phone"], SealedValue)
        assert loaded.name == "张三"
        assert calls == []
        assert loaded.phone == PHONE
        assert loaded.phone == PHONE
        assert calls == [1]

    def test_saving_untouched_values_keeps_their_ciphertext(self):
        contact = _contact()
        before = _raw("security_test_contact", "resident_id", contact.pk)
        loaded = Contact.objects.get(pk=contact.pk)
        loaded.name = "李四"
        loaded.save()
        assert _raw("security_test_contact", "resident_id", contact.pk) == before
        loaded.phone = "13900001111"
        loaded.save()
        assert Contact.objects.get(pk=contact.pk).phone == "13900001111"
        assert Contact.objects.get(pk=contact.pk).resident_id == ID_NUMBER

    def test_saving_a_copy_as_a_new_row_re_encrypts_for_it(self):
        original = _contact()
        clone = Contact.objects.get(pk=original.pk)  # values still sealed for the original row
        clone.pk = None
        clone.row_key = uuid.uuid4()
        clone._state.adding = True
        clone.save()
        assert Contact.objects.get(pk=clone.pk).resident_id == ID_NUMBER
        assert Contact.objects.get(pk=original.pk).resident_id == ID_NUMBER

    def test_deferred_loading(self):
        contact = _contact()
        assert Contact.objects.only("name").get(pk=contact.pk).phone == PHONE
        assert Contact.objects.only("phone").get(pk=contact.pk).phone == PHONE

    def test_values_list_gives_sealed_values(self):
        contact = _contact()
        row_key, sealed = Contact.objects.values_list("row_key", "phone").get(pk=contact.pk)
        assert isinstance(sealed, SealedValue)
        assert PHONE not in repr(sealed)
        assert PHONE not in str(sealed)
        assert sealed.open(row_key) == PHONE
        with pytest.raises(EncryptedFieldError):
            sealed.open()

    def test_max_length_is_checked_on_the_plaintext(self):
        contact = Contact(name="王五", resident_id=ID_NUMBER + "9", phone=PHONE)
        with pytest.raises(ValidationError) as excinfo:
            contact.full_clean()
        assert "resident_id" in excinfo.value.message_dict

    def test_a_uuid_primary_key_can_be_the_row_key(self):
        supplier = Supplier.objects.create(resident_id=ID_NUMBER)
        assert Supplier.objects.get(pk=supplier.pk).resident_id == ID_NUMBER


@pytest.mark.usefixtures("tables")
class TestAttacks:
    """Someone who can write SQL but has no key can destroy values, never read or move them unnoticed."""

    def test_ciphertext_copied_to_another_row_fails(self):
        victim, other = _contact(), _contact(resident_id="110101199003074477")
        stolen = _raw("security_test_contact", "resident_id", victim.pk)
        _raw_set("security_test_contact", "resident_id", other.pk, stolen)
        loaded = Contact.objects.get(pk=other.pk)
        with pytest.raises(crypto.DecryptionFailed):
            _ = loaded.resident_id

    def test_ciphertext_copied_to_another_column_fails(self):
        contact = _contact()
        _raw_set("security_test_contact", "phone", contact.pk, _raw("security_test_contact", "resident_id", contact.pk))
        with pytest.raises(crypto.DecryptionFailed):
            _ = Contact.objects.get(pk=contact.pk).phone

    def test_ciphertext_copied_to_another_table_with_the_same_row_key_fails(self):
        contact = _contact()
        supplier = Supplier.objects.create(id=contact.row_key, resident_id="x")
        stored = _raw("security_test_contact", "resident_id", contact.pk)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE security_test_supplier SET resident_id = %s WHERE id = %s",
                [stored, Supplier._meta.pk.get_db_prep_value(supplier.pk, connection)],
            )
        with pytest.raises(crypto.DecryptionFailed):
            _ = Supplier.objects.get(pk=supplier.pk).resident_id

    def test_row_key_changed_in_sql_fails(self):
        contact = _contact()
        new_row_key = Contact._meta.get_field("row_key").get_db_prep_value(uuid.uuid4(), connection)
        _raw_set("security_test_contact", "row_key", contact.pk, new_row_key)
        with pytest.raises(crypto.DecryptionFailed):
            _ = Contact.objects.get(pk=contact.pk).resident_id

    @pytest.mark.parametrize("position", [0, 20, -1])
    def test_altered_ciphertext_fails(self, position):
        contact = _contact()
        key_id, _, encoded = _raw("security_test_contact", "phone", contact.pk).partition(":")
        blob = bytearray(base64.b64decode(encoded))
        blob[position] ^= 0x80
        _raw_set("security_test_contact", "phone", contact.pk, f"{key_id}:{base64.b64encode(blob).decode()}")
        with pytest.raises(crypto.DecryptionFailed):
            _ = Contact.objects.get(pk=contact.pk).phone

    @pytest.mark.parametrize("stored", [PHONE, "sm4-20260101-abcdef", "sm4-20260101-abcdef:!!!", "x:AAAA"])
    def test_plaintext_or_garbage_in_the_column_fails(self, stored):
        contact = _contact()
        _raw_set("security_test_contact", "phone", contact.pk, stored)
        with pytest.raises(crypto.CryptoError):
            _ = Contact.objects.get(pk=contact.pk).phone

    def test_unknown_key_id_fails(self):
        contact = _contact()
        _key_id, _, encoded = _raw("security_test_contact", "phone", contact.pk).partition(":")
        _raw_set("security_test_contact", "phone", contact.pk, f"sm4-20200101-000000:{encoded}")
        with pytest.raises(keys.UnknownKey):
            _ = Contact.objects.get(pk=contact.pk).phone


@pytest.mark.usefixtures("tables")
class TestMisuseIsRefused:
    def test_filtering_on_plaintext(self):
        _contact()
        with pytest.raises(EncryptedFieldError, match="encrypted"):
            list(Contact.objects.filter(phone=PHONE))
        with pytest.raises(EncryptedFieldError):
            list(Contact.objects.filter(phone__icontains="1381"))
        with pytest.raises(EncryptedFieldError, match="startswith"):
            list(Contact.objects.filter(resident_id__startswith="1101"))
        with pytest.raises(EncryptedFieldError):
            list(Contact.objects.filter(phone__in=[PHONE]))

    def test_queryset_update_and_bulk_update(self):
        contact = _contact()
        # Each refusal dooms the enclosing transaction, as any failed query does: give each its own savepoint.
        with pytest.raises(EncryptedFieldError), transaction.atomic():
            Contact.objects.filter(pk=contact.pk).update(phone="13900000000")
        contact.phone = "13900000000"
        with pytest.raises(EncryptedFieldError), transaction.atomic():
            Contact.objects.bulk_update([contact], ["phone"])
        assert Contact.objects.get(pk=contact.pk).phone == PHONE

    def test_bulk_create_encrypts(self):
        Contact.objects.bulk_create([Contact(name="赵六", resident_id=ID_NUMBER, phone=PHONE)])
        contact = Contact.objects.get()
        assert contact.phone == PHONE
        assert PHONE not in _raw("security_test_contact", "phone", contact.pk)


class TestChecks:
    def test_a_model_without_row_key(self):
        assert [e.id for e in NoRowKey.check()] == ["security.E101"]

    def test_a_row_key_that_is_not_unique(self):
        assert [e.id for e in SharedRowKey.check()] == ["security.E102"]

    def test_good_models(self):
        assert [e for e in Contact.check() if e.id.startswith("security.")] == []
        assert [e for e in Supplier.check() if e.id.startswith("security.")] == []

    def test_deconstruct_keeps_the_row_key_field(self):
        _name, path, _args, kwargs = Supplier._meta.get_field("resident_id").deconstruct()
        assert path == "ftzsafety.security.fields.EncryptedTextField"
        assert kwargs["row_key_field"] == "id"
        assert "row_key_field" not in Contact._meta.get_field("phone").deconstruct()[3]


def test_encrypted_models_are_found_by_scanning_the_registry():
    found = {model: [f.name for f in model_fields] for model, model_fields in fields.encrypted_models(test_apps)}
    assert found[Contact] == ["resident_id", "phone"]
    assert found[Supplier] == ["resident_id"]


@pytest.mark.usefixtures("tables")
class TestRotation:
    def test_old_values_stay_readable_after_a_new_key(self):
        contact = _contact()
        old_id = keys.current_data_key()[0]
        keys.rotate_data_key()
        loaded = Contact.objects.get(pk=contact.pk)
        assert loaded.phone == PHONE
        loaded.phone = "13900001111"
        loaded.save()
        assert not _raw("security_test_contact", "phone", contact.pk).startswith(old_id)
        assert _raw("security_test_contact", "resident_id", contact.pk).startswith(old_id)

    def test_rotate_re_encrypts_everything_under_the_new_key(self):
        contacts = [_contact(), _contact(phone=None), _contact(resident_id="")]
        supplier = Supplier.objects.create(resident_id=ID_NUMBER)
        old_id = keys.current_data_key()[0]
        key_id, results = fields.data_key_rotate(targets=fields.encrypted_models(test_apps), batch_size=2)
        assert key_id != old_id
        assert keys.current_data_key()[0] == key_id
        assert {(r.model, r.rows, r.values) for r in results} == {
            ("security.Contact", 3, 4),
            ("security.Supplier", 1, 1),
        }
        for contact in contacts:
            for column in ("resident_id", "phone"):
                stored = _raw("security_test_contact", column, contact.pk)
                assert stored in ("", None) or stored.startswith(key_id + ":")
        assert [Contact.objects.get(pk=c.pk).phone for c in contacts] == [PHONE, None, PHONE]
        assert Supplier.objects.get(pk=supplier.pk).resident_id == ID_NUMBER
        assert old_id in keys.data_key_ids()
        actions = list(AuditRecord.objects.order_by("pk").values_list("action", "detail"))
        assert actions[0] == ("security.data_key.rotate", {"key_id": key_id})
        assert (
            "security.data_key.reencrypt",
            {"model": "security.Contact", "key_id": key_id, "rows": 3, "values": 4},
        ) in (actions)

    def test_running_again_without_a_new_key_has_nothing_to_do(self):
        _contact()
        fields.data_key_rotate(targets=fields.encrypted_models(test_apps))
        _key_id, results = fields.data_key_rotate(new_key=False, targets=fields.encrypted_models(test_apps))
        assert all(r.rows == 0 and r.values == 0 for r in results)

    def test_a_failure_rolls_back_that_model_only(self, monkeypatch):
        contact = _contact()
        supplier = Supplier.objects.create(resident_id=ID_NUMBER)
        before = _raw("security_test_contact", "phone", contact.pk)
        _raw_set("security_test_contact", "resident_id", contact.pk, "sm4-20200101-000000:AAAA")
        targets = [(Supplier, [Supplier._meta.get_field("resident_id")]), *fields.encrypted_models(test_apps)[:1]]
        with pytest.raises(keys.UnknownKey):
            fields.data_key_rotate(targets=targets)
        assert _raw("security_test_contact", "phone", contact.pk) == before
        assert Supplier.objects.get(pk=supplier.pk).resident_id == ID_NUMBER

    def test_command(self, monkeypatch, capsys):
        _contact()
        scan = fields.encrypted_models
        monkeypatch.setattr(fields, "encrypted_models", lambda app_registry=None: scan(test_apps))
        call_command("rotate_keys")
        out = capsys.readouterr().out
        key_id = keys.current_data_key()[0]
        assert f"new data key: {key_id}" in out
        assert "security.Contact: 1 rows, 2 values re-encrypted" in out
        assert "re-encrypted 2 values in 1 rows of 2 models" in out
