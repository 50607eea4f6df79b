"""Attachments: images and PDFs on handbook pages.

An upload is checked before anything is stored: its size (HANDBOOK_ATTACHMENT_MAX_BYTES), its
extension, and its content. A PDF must start with the PDF magic bytes. An image must be what its
extension says, and is decoded and encoded again by Pillow, so nothing but the pixels survives
(no metadata, comments, trailing bytes or scripts). Files are stored under a random name.
"""

import io
import uuid
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

from handbook.errors import HandbookError
from handbook.models import Attachment, AttachmentKind

# Extension → the format Pillow must find inside.
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}
PDF_MAGIC = b"%PDF-"
# Decoding and encoding grow with the pixels: at most 16 MP (a 12 MP phone photo fits; a
# 48 MP one is refused with a message to scale it down), so the worst image the limits let in
# is re-encoded within a second (bench/attachments.py prints the figures).
MAX_PIXELS = 16_000_000
# Above this, Pillow's `optimize` pass (which can double the time) is skipped and PNGs are
# compressed at a fast level: a somewhat larger file, not a slower request.
OPTIMIZE_BELOW_PIXELS = 2_000_000
FAST_PNG_LEVEL = 1


class AttachmentError(HandbookError):
    """An upload that is refused, named by its code; the message names the file and says why."""


def _reencoded_image(data: bytes, expected_format: str, name: str) -> tuple[bytes, str, str]:
    """The image's pixels in a fresh file: (bytes, extension, content type)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                found = probe.format
                if probe.width * probe.height > MAX_PIXELS:
                    raise AttachmentError(
                        "attachment_too_many_pixels",
                        name=name,
                        width=probe.width,
                        height=probe.height,
                        limit=MAX_PIXELS // 1_000_000,
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:  # fmt: skip
        raise AttachmentError("attachment_not_an_image", name=name) from error
    if found != expected_format:
        raise AttachmentError("attachment_wrong_content", name=name, found=found or "?")
    out = io.BytesIO()
    small = image.width * image.height <= OPTIMIZE_BELOW_PIXELS
    if found == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=88, optimize=small)
        return out.getvalue(), ".jpg", "image/jpeg"
    mode = "RGBA" if image.mode in {"RGBA", "LA", "P", "PA"} else "RGB"
    speed = {"optimize": True} if small else {"compress_level": FAST_PNG_LEVEL}
    image.convert(mode).save(out, format="PNG", **speed)
    return out.getvalue(), ".png", "image/png"


def checked_upload(upload) -> tuple[bytes, str, str, str, str]:
    """(content, file name, kind, content type) of an acceptable upload, or AttachmentError."""
    name = PurePath(upload.name or "fil").name
    limit = settings.HANDBOOK_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise AttachmentError(
            "attachment_over_limit", name=name, limit=round(limit / 1024 / 1024, 1)
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise AttachmentError("attachment_too_large", name=name)
    suffix = PurePath(name).suffix.lower()
    stem = slugify(PurePath(name).stem)[:80] or "bilaga"
    if suffix == ".pdf":
        if not data.startswith(PDF_MAGIC):
            raise AttachmentError("attachment_not_a_pdf", name=name)
        return data, f"{stem}.pdf", AttachmentKind.PDF, "application/pdf"
    if suffix in IMAGE_FORMATS:
        content, extension, content_type = _reencoded_image(data, IMAGE_FORMATS[suffix], name)
        return content, f"{stem}{extension}", AttachmentKind.IMAGE, content_type
    raise AttachmentError("attachment_kind_refused", name=name)


@transaction.atomic
def save_attachment(*, upload, uploaded_by, page=None, proposal=None) -> Attachment:
    """Check and store one upload for a page, or for a proposal until it merges."""
    content, name, kind, content_type = checked_upload(upload)
    attachment = Attachment(
        page=page,
        proposal=proposal,
        name=name,
        kind=kind,
        content_type=content_type,
        size=len(content),
        uploaded_by=uploaded_by,
    )
    extension = PurePath(name).suffix
    attachment.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(content), save=False)
    attachment.save()
    return attachment


def adopt_attachments(*, proposal) -> None:
    """A merged proposal's attachments become its page's."""
    Attachment.objects.filter(proposal=proposal, page__isnull=True).update(page=proposal.page)


@transaction.atomic
def propose_with_attachment(*, propose, body: str, upload, uploaded_by):
    """Make a proposal with `propose(body=...)`; with an upload, the file is checked and stored
    first and a reference to it (an image shown, a PDF linked) ends the proposed text."""
    if upload is None:
        return propose(body=body)
    attachment = save_attachment(upload=upload, uploaded_by=uploaded_by)
    try:
        proposal = propose(body=f"{body.rstrip()}\n\n{attachment.markdown}\n")
    except Exception:
        attachment.file.delete(save=False)
        raise
    attachment.proposal = proposal
    attachment.save(update_fields=["proposal"])
    return proposal
