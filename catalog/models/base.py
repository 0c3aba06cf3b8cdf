"""What every curated record has: the fields an editor changed, kept from imports."""

from django.db import models

TOPIC_SEPARATOR = " > "


def _json_copy(value):
    """A copy of JSON-shaped data (lists, dicts, scalars); faster than deepcopy."""
    if isinstance(value, list):
        return [_json_copy(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_copy(item) for key, item in value.items()}
    return value


class CuratedMixin(models.Model):
    """Fields an editor changed by hand; imports never overwrite them.

    Rows remember the values they were loaded with, so ``save()`` from any
    editing path (admin, shell, a script) records each field it changes.
    The importer writes with bulk queries and never calls ``save()``.
    """

    curated_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields changed by an editor; later imports leave them alone.",
    )

    # Identity and bookkeeping columns: the importer never writes these as
    # values (path and key are its lookups, slug is only filled when empty).
    NEVER_CURATED = frozenset(
        {"id", "key", "path", "slug", "curated_fields", "created", "updated"}
    )

    class Meta:
        abstract = True

    def save(self, *args, curate=True, **kwargs):
        """Save, adding every field changed since loading to ``curated_fields``.

        ``curate=False`` saves without recording (e.g. accepting a list value).
        """
        if curate:
            update_fields = kwargs.get("update_fields")
            changed = [
                name
                for name in self.curation_changes(update_fields=update_fields)
                if name not in self.curated_fields
            ]
            if changed:
                self.curated_fields = [*self.curated_fields, *changed]
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "curated_fields"}
        super().save(*args, **kwargs)
        self._loaded_values = {
            field.attname: self._snapshot_value(self.__dict__[field.attname])
            for field in self._meta.concrete_fields
            if field.attname in self.__dict__
        }

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = {
            name: cls._snapshot_value(value)
            for name, value in zip(field_names, values, strict=True)
        }
        return instance

    def curation_changes(self, *, update_fields=None):
        """Attribute names of curatable fields changed since the row was loaded."""
        loaded = getattr(self, "_loaded_values", None)
        if self.pk is None or loaded is None:
            return []
        return [
            field.attname
            for field in self._curatable_fields(loaded, update_fields)
            if not self._same_value(
                field, loaded[field.attname], self.__dict__[field.attname]
            )
        ]

    def _curatable_fields(self, loaded: dict, update_fields):
        """The editable fields loaded and set on this instance (of
        ``update_fields``, when a save names them)."""
        named = None if update_fields is None else set(update_fields)
        for field in self._meta.concrete_fields:
            name = field.attname
            if name in self.NEVER_CURATED or not field.editable:
                continue
            if name not in loaded or name not in self.__dict__:
                continue
            if named is None or {field.name, name} & named:
                yield field

    @staticmethod
    def _snapshot_value(value):
        # Copy lists and dicts, so in-place edits (alt_urls.append) show up.
        return _json_copy(value) if isinstance(value, list | dict) else value

    @staticmethod
    def _same_value(field, old, new):
        from django.core.exceptions import ValidationError

        if old == new:
            return True
        try:
            return field.to_python(old) == field.to_python(new)
        except ValidationError:
            return False
