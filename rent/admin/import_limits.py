"""Limits of the admin's CSV/XLSX/JSON import (django-import-export), so one upload is bounded work.

- A file larger than ADMIN_IMPORT_MAX_BYTES or with more than ADMIN_IMPORT_MAX_ROWS rows is
  refused with a message saying why (larger histories go through `manage.py import_rent`).
- The upload waits for its confirmation in a folder of its own, under a random name that the
  confirmation must quote exactly: a forged name never reads or deletes another file.
- A preview that is never confirmed, or fails, leaves nothing behind: failed previews are
  removed at once, and every new upload removes those older than an hour.
"""

import os
import re
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.forms import ImportForm
from import_export.tmp_storages import TempFolderStorage

from rent.errors import RentError

UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")
STALE_AFTER_SECONDS = 3600


class ForgedImportFileName(RentError, ValueError):
    """The confirmation named a file that is not one of this folder's uploads."""


def upload_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "kimonokittens-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def remove_stale_uploads(*, older_than: float = STALE_AFTER_SECONDS) -> int:
    """Remove uploads whose preview was never confirmed; returns how many."""
    removed, deadline = 0, time.time() - older_than
    for path in upload_folder().iterdir():
        try:
            if UPLOAD_NAME.fullmatch(path.name) and path.stat().st_mtime < deadline:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # confirmed (and removed) by another request meanwhile
    return removed


class CheckedTempFolderStorage(TempFolderStorage):
    """IMPORT_EXPORT_TMP_STORAGE_CLASS: uploads in their own folder, under names we made."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.name is not None and not UPLOAD_NAME.fullmatch(str(self.name)):
            raise ForgedImportFileName("forged_import_file_name", name=self.name)

    def get_full_path(self):
        return str(upload_folder() / self.name)

    def save(self, data):
        remove_stale_uploads()
        self.name = uuid.uuid4().hex
        descriptor = os.open(self.get_full_path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        if isinstance(data, bytes):
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
        else:
            with os.fdopen(descriptor, "w", encoding=self.encoding) as file:
                file.write(data)

    def read(self):
        try:
            return super().read()
        except FileNotFoundError:
            raise ForgedImportFileName("forged_import_file_name", name=self.name) from None

    def remove(self):
        Path(self.get_full_path()).unlink(missing_ok=True)


class LimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.ADMIN_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _(
                    "The file is %(size)s; the admin imports at most %(limit)s. Split it, "
                    "or ask the treasurer to run `manage.py import_rent` on the server."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class LimitedImportMixin:
    """For an ImportExportModelAdmin: the limits above, and no traceback or leftover file."""

    import_form_class = LimitedImportForm

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        upload = form.cleaned_data.get("import_file") if form and form.is_bound else None
        name = getattr(upload, "tmp_storage_name", None)
        if name and "confirm_form" not in context:
            # The preview found errors: nothing can be confirmed, so nothing is kept.
            CheckedTempFolderStorage(name=name).remove()
        return response

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except ForgedImportFileName:
            messages.error(
                request,
                _(
                    "The uploaded file is gone (it was already imported, or it waited too "
                    "long). Choose the file again."
                ),
            )
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
