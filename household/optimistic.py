"""Optimistic concurrency for admin forms: a form remembers the row's `updated_at` when it was
shown, and saving refuses if the row has changed since (someone else saved, or marked it paid).

The version travels as a hidden input rendered beside one of the form's own fields, so it
reaches the server from the change form and from the tenant page's inline rows alike.
In the change form (one transaction) the row is locked while it is compared, so two saves at
once are serialised: the second sees the first's version and is refused with a message.
"""

from django import forms
from django.db import router, transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "loaded_version"
STALE_MESSAGE = _(
    "Someone else changed this row after you opened it (for example marked it paid). "
    "Its current values are shown; check them and save again if your change still applies."
)


def version_of(instance) -> str:
    updated_at = getattr(instance, "updated_at", None)
    return updated_at.isoformat() if updated_at else ""


class VersionInput(forms.Widget):
    """Wraps a field's widget and adds the hidden version input after it."""

    def __init__(self, inner: forms.Widget, *, version_name: str, version: str):
        super().__init__(attrs=inner.attrs)
        self.inner, self.version_name, self.version = inner, version_name, version
        self.is_required = inner.is_required

    def render(self, name, value, attrs=None, renderer=None):
        hidden = format_html(
            '<input type="hidden" name="{}" value="{}">', self.version_name, self.version
        )
        return self.inner.render(name, value, attrs, renderer) + hidden

    def value_from_datadict(self, data, files, name):
        return self.inner.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return self.inner.value_omitted_from_data(data, files, name)


class VersionCheckedFormMixin:
    """For a ModelForm over a model with `updated_at`: refuse to save over a newer row."""

    version_carrier: str = ""  # the field whose widget carries the hidden version

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        carrier = self.version_carrier or next(iter(self.fields), "")
        if self.instance.pk and carrier in self.fields:
            field = self.fields[carrier]
            field.widget = VersionInput(
                field.widget,
                version_name=self.add_prefix(VERSION_FIELD),
                version=self._shown_version(),
            )

    def _shown_version(self) -> str:
        if self.is_bound:
            submitted = self.data.get(self.add_prefix(VERSION_FIELD))
            if submitted:
                return submitted
        return version_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        submitted = self.data.get(self.add_prefix(VERSION_FIELD))
        if not self.instance.pk or not self.has_changed() or submitted is None:
            # An untouched row of the change list saves nothing; a post from elsewhere than
            # the admin's own pages (which always send the version) is not checked.
            return cleaned
        model = type(self.instance)
        rows = model._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
            rows = rows.select_for_update()
        current = rows.values_list("updated_at", flat=True).first()
        current_version = current.isoformat() if current else ""
        if submitted != current_version:
            # Shown again with the row's version now: a second save is a deliberate one.
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION_FIELD)] = current_version
            carrier = self.version_carrier or next(iter(self.fields), "")
            if carrier in self.fields and isinstance(self.fields[carrier].widget, VersionInput):
                self.fields[carrier].widget.version = current_version
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned
