"""Encryption at rest: model fields stored SM4-GCM encrypted, bound to their table, row and column.

Issue 3 item 4; GB/T 39786-2021 (应用和数据安全: confidentiality and integrity of important data in storage) and
个人信息保护法 第五十一条 (encryption of personal information). Use it for resident ID numbers, phone numbers and the
like in confidential data::

    import uuid
    from ftzsafety.security.fields import EncryptedCharField, EncryptedTextField

    class Contact(models.Model):
        # Required: a stable, unique UUID known before the INSERT. It is part of every ciphertext's associated
        # data, so it must never change once a row is written.
        row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
        resident_id = EncryptedCharField(_("resident ID number"), max_length=18, blank=True)
        phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
        notes = EncryptedTextField(_("notes"), blank=True)

The column holds `"<key id>:<base64(nonce ‖ ciphertext ‖ tag)>"`; the associated data is
`"<db_table>|<row_key>|<column>"`, so a ciphertext copied to another row, column or table does not decrypt, and an
altered one raises `crypto.DecryptionFailed` instead of returning wrong data. A raw dump of the database shows no
plaintext. Empty strings are stored as "" and NULL as NULL (so a blank field can be found), everything else
encrypted under the current data key (`ftzsafety.security.keys`); `ftzsafety rotate_keys` re-encrypts.

What the model and its callers must know:

- Values are decrypted lazily, the first time the attribute is read (a list that does not show the field pays
  nothing). `values()`/`values_list()` return `SealedValue`s: call `.open(row_key)` or load model instances.
- Write through `Model.save()` (or `bulk_create`): the field needs the instance's `row_key`. `QuerySet.update()`,
  `bulk_update()` and lookups other than `isnull` and `exact=""` (`filter(phone="138…")`, `icontains`, `in`, admin
  `search_fields`) are refused with `EncryptedFieldError`: random nonces make equal plaintexts differ. Equality
  search would need a blind index (HMAC-SM3 of the normalised value in another column), not provided yet.
- Renaming the table or the column, or changing `row_key`, makes existing values unreadable: migrate by reading
  with the old names and saving with the new ones.
- Adding `row_key` to a table that already has rows needs Django's three steps for a unique field with a callable
  default (add it null=True, fill each row with uuid4 in a RunPython, then make it unique and not null).
- Encryption protects the column at rest; who may *see* the plaintext is still decided by classification, grants
  and masking: declare the field in the model's sensitive fields as well.
- `dumpdata` writes plaintext (it reads the attributes); `loaddata` of these fields is refused.
- `manage.py check` reports a model without a suitable `row_key` (security.E101/E102).
"""

import base64
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps as django_apps
from django.core import checks, validators
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import signals
from django.db.models.query_utils import DeferredAttribute

from ftzsafety.security import crypto, keys

_MISSING = object()


class EncryptedFieldError(TypeError):
    """An encrypted field was used in a way that would write or compare plaintext in the database."""


class Ciphertext(str):
    """A value in its stored form, produced by the field itself: the only kind of string written to the column."""

    __slots__ = ()


class SealedValue:
    """A stored value not yet decrypted: what the database returned, with the field it came from.

    `row_key` is bound when the row is loaded as a model instance; `open()` decrypts. Printing it shows no data."""

    __slots__ = ("field", "row_key", "stored")

    def __init__(self, field: "EncryptedTextField", stored: str, row_key: str | None = None) -> None:
        self.field = field
        self.stored = stored
        self.row_key = row_key

    @property
    def key_id(self) -> str:
        return self.stored.partition(":")[0]

    def open(self, row_key: Any = None) -> str:
        """The plaintext. Raises `crypto.DecryptionFailed` if the value was altered or belongs to another row."""
        key = row_key if row_key is not None else self.row_key
        if key is None:
            raise EncryptedFieldError("the row key is needed to decrypt this value")
        return self.field.decrypt(self.stored, key)

    def __repr__(self) -> str:
        return f"<SealedValue {self.field.model._meta.label}.{self.field.name} key={self.key_id}>"

    __str__ = __repr__


def _row_key_text(value: Any) -> str:
    if value is None or value == "":
        raise EncryptedFieldError("the row has no row key: encrypted fields need one before saving")
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


class _EncryptedAttribute(DeferredAttribute):
    """Holds the stored value on the instance and decrypts it the first time it is read."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, SealedValue):
            value = value.open(value.row_key if value.row_key is not None else self.field.row_key_of(instance))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """Text stored SM4-GCM encrypted (see the module docstring for what the model needs).

    `row_key_field` names the model's UUID field that identifies the row in the associated data ("row_key" by
    default; a UUID primary key with a default works too)."""

    descriptor_class = _EncryptedAttribute

    def __init__(self, *args: Any, row_key_field: str = "row_key", **kwargs: Any) -> None:
        self.row_key_field = row_key_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.row_key_field != "row_key":
            kwargs["row_key_field"] = self.row_key_field
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            signals.post_init.connect(self._bind_row_key, sender=cls)

    def _bind_row_key(self, instance: models.Model, **kwargs: Any) -> None:
        """Remember which row a loaded value came from, so saving a copy under a new row key re-encrypts it."""
        value = instance.__dict__.get(self.attname)
        if isinstance(value, SealedValue):
            try:
                row_key_attname = self.model._meta.get_field(self.row_key_field).attname
            except FieldDoesNotExist:  # reported by the system check (security.E101)
                return
            row_key = instance.__dict__.get(row_key_attname)
            if row_key is not None:
                value.row_key = _row_key_text(row_key)

    # --- checks -------------------------------------------------------------------------------------------

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_row_key()]

    def _check_row_key(self) -> list[checks.CheckMessage]:
        hint = "Add `row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)` to the model."
        try:
            row_key = self.model._meta.get_field(self.row_key_field)
        except FieldDoesNotExist:
            return [
                checks.Error(
                    f"{self.model._meta.label} has encrypted field '{self.name}' but no field '{self.row_key_field}'.",
                    hint=hint,
                    obj=self,
                    id="security.E101",
                )
            ]
        if not isinstance(row_key, models.UUIDField) or not row_key.unique or not row_key.has_default():
            return [
                checks.Error(
                    f"'{self.row_key_field}' of {self.model._meta.label} must be a unique UUIDField with a default.",
                    hint=hint,
                    obj=self,
                    id="security.E102",
                )
            ]
        return []

    # --- encryption ---------------------------------------------------------------------------------------

    def _aad(self, row_key: Any) -> bytes:
        return f"{self.model._meta.db_table}|{_row_key_text(row_key)}|{self.column}".encode()

    def row_key_of(self, instance: models.Model) -> str:
        return _row_key_text(getattr(instance, self.model._meta.get_field(self.row_key_field).attname))

    def encrypt(self, plaintext: str, row_key: Any) -> Ciphertext:
        """The stored form of `plaintext` for the row `row_key`, under the current data key."""
        key_id, key = keys.current_data_key()
        blob = crypto.sm4_gcm_encrypt(key, plaintext.encode("utf-8"), self._aad(row_key))
        return Ciphertext(f"{key_id}:{base64.b64encode(blob).decode('ascii')}")

    def decrypt(self, stored: str, row_key: Any) -> str:
        """The plaintext of a stored value of this field in row `row_key`; raises `crypto.DecryptionFailed`."""
        key_id, separator, encoded = stored.partition(":")
        if not separator or not keys.KEY_ID_RE.match(key_id):
            raise crypto.DecryptionFailed(f"{self.model._meta.label}.{self.name}: not an encrypted value")
        try:
            blob = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise crypto.DecryptionFailed(f"{self.model._meta.label}.{self.name}: malformed ciphertext") from None
        return crypto.sm4_gcm_decrypt(keys.data_key(key_id), blob, self._aad(row_key)).decode("utf-8")

    # --- Django field protocol ------------------------------------------------------------------------------

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        row_key = self.row_key_of(model_instance)
        value = model_instance.__dict__.get(self.attname, _MISSING)
        if isinstance(value, SealedValue):
            loaded_for = value.row_key if value.row_key is not None else row_key  # None: row key was deferred
            if value.field._location() == self._location() and loaded_for == row_key:
                return Ciphertext(value.stored)  # loaded and untouched: already bound to this row and column
            value = value.open(loaded_for)
        elif value is _MISSING:
            value = getattr(model_instance, self.attname)
        value = self.to_python(value)
        if value is None or value == "":
            return value
        return self.encrypt(value, row_key)

    def _location(self) -> tuple[str, str]:
        return self.model._meta.db_table, self.column

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return SealedValue(self, value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, SealedValue):
            return value
        return super().to_python(value)

    def get_lookup(self, lookup_name: str) -> Any:
        # Pattern lookups (contains, startswith …) skip get_prep_value and would quietly match nothing.
        if lookup_name not in ("exact", "isnull"):
            raise EncryptedFieldError(
                f"{self.model._meta.label}.{self.name} is encrypted: it cannot be searched with '{lookup_name}'."
            )
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Ciphertext):
            return None if value is None else str.__str__(value)
        if isinstance(value, SealedValue):
            return value.stored
        if value == "":
            return ""
        raise EncryptedFieldError(
            f"{self.model._meta.label}.{self.name} is encrypted: set it on an instance and call save(); "
            "it cannot be filtered on or written by QuerySet.update()/bulk_update()."
        )


class EncryptedCharField(EncryptedTextField):
    """An encrypted single-line value (ID number, phone): a text input in forms, `max_length` checked on the
    plaintext (the column is text: the ciphertext is longer)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(**{"widget": forms.TextInput, **kwargs})


# --- key rotation -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReencryptionResult:
    model: str
    rows: int  # rows with at least one value re-encrypted
    values: int  # values re-encrypted


def encrypted_models(app_registry: Any = None) -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every concrete model with encrypted columns in its own table, with those fields."""
    found = []
    for model in (app_registry or django_apps).get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def _reencrypt_model(
    model: type[models.Model], fields: list[EncryptedTextField], key_id: str, batch_size: int
) -> ReencryptionResult:
    row_key_attname = model._meta.get_field(fields[0].row_key_field).attname
    attnames = [f.attname for f in fields]
    manager = model._base_manager
    rows = values = 0
    last_pk = None
    while True:
        batch = manager.select_for_update().order_by("pk")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        chunk = list(batch.values_list("pk", row_key_attname, *attnames)[:batch_size])
        if not chunk:
            break
        for pk, row_key, *stored_values in chunk:
            updates = {}
            for field, sealed in zip(fields, stored_values, strict=True):
                if isinstance(sealed, SealedValue) and sealed.key_id != key_id:
                    updates[field.attname] = field.encrypt(sealed.open(row_key), row_key)
            if updates:
                manager.filter(pk=pk).update(**updates)
                rows += 1
                values += len(updates)
        last_pk = chunk[-1][0]
    return ReencryptionResult(model=model._meta.label, rows=rows, values=values)


def data_key_rotate(
    *,
    actor: Any = None,
    new_key: bool = True,
    targets: Iterable[tuple[type[models.Model], list[EncryptedTextField]]] | None = None,
    batch_size: int = 500,
) -> tuple[str, list[ReencryptionResult]]:
    """Make a new SM4 data key current (unless `new_key` is False) and re-encrypt every encrypted value under it.

    Each model is re-encrypted in its own transaction, rows locked, with its audit record; a failure rolls back
    that model only, and running the command again finishes the job (values already under the current key are
    skipped). Old keys are kept, so a value written by a process that still held the old key stays readable.
    Returns (current key id, one result per model). Key lifecycle: GB/T 39786-2021 (密钥管理, 更新).
    """
    from ftzsafety import audit

    if new_key:
        with transaction.atomic():
            key_id = keys.rotate_data_key()
            audit.record(actor=actor, action="security.data_key.rotate", detail={"key_id": key_id})
    else:
        key_id, _key = keys.current_data_key()
    results = []
    for model, fields in encrypted_models() if targets is None else targets:
        with transaction.atomic():
            result = _reencrypt_model(model, fields, key_id, batch_size)
            audit.record(
                actor=actor,
                action="security.data_key.reencrypt",
                detail={"model": result.model, "key_id": key_id, "rows": result.rows, "values": result.values},
            )
        results.append(result)
    return key_id, results
