"""Attachments: checked, images re-encoded to bare pixels, served to members only."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from handbook import attachments, services
from handbook.attachments import (
    MAX_PIXELS,
    AttachmentError,
    checked_upload,
    propose_with_attachment,
    save_attachment,
)
from handbook.models import Attachment, Proposal
from tests.builders import make_login, make_member, make_page
from tests.processes import REPO_ROOT, manage, project_env, read_env_file
from tests.refusals import refused

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.HANDBOOK_ATTACHMENTS_X_ACCEL = False
    return tmp_path


@pytest.fixture
def members():
    return [make_member(name) for name in ("astrid", "bo", "cecilia")]


def png_bytes(size=(8, 6), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data).to_bytes(4, "big")
    return len(data).to_bytes(4, "big") + kind + data + crc


def png_with_script() -> bytes:
    """A valid PNG carrying a script in a text chunk and HTML after its end."""
    plain = png_bytes()
    text = png_chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>")
    with_text = plain[:33] + text + plain[33:]  # after the IHDR chunk
    return with_text + b"<html><script>alert(2)</script></html>"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_an_image_is_re_encoded_so_only_pixels_survive():
    content, name, kind, content_type = checked_upload(
        upload("Säkringsskåp.PNG", png_with_script())
    )
    assert b"<script" not in content and b"alert" not in content and b"<html" not in content
    assert (name, kind, content_type) == ("sakringsskap.png", "image", "image/png")
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (8, 6) and image.getpixel((0, 0)) == (200, 30, 30)
        assert not image.info.get("Comment")


def test_a_jpeg_loses_its_metadata():
    image = Image.new("RGB", (10, 10), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010E] = "hemlig beskrivning"  # ImageDescription
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    assert b"hemlig" in out.getvalue()
    content, name, *_ = checked_upload(upload("foto.jpeg", out.getvalue()))
    assert b"hemlig" not in content and name == "foto.jpg"


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("planritning.png", b"<html><script>alert(1)</script></html>", "attachment_not_an_image",
         "ingen läsbar bild"),
        ("kontrakt.pdf", png_bytes(), "attachment_not_a_pdf", "ingen PDF"),
        ("bild.png", PDF, "attachment_not_an_image", "ingen läsbar bild"),
        ("bild.jpg", png_bytes(), "attachment_wrong_content", "inte vad filändelsen säger"),
        ("ritning.svg", b"<svg onload='alert(1)'/>", "attachment_kind_refused", "bara bilder"),
        ("program.exe", b"MZ\x90\x00", "attachment_kind_refused", "bara bilder"),
        ("utan-filandelse", PDF, "attachment_kind_refused", "bara bilder"),
    ],
)  # fmt: skip
def test_a_disguised_or_unwanted_file_is_refused(name, content, code, message):
    with refused(AttachmentError, code, message):
        checked_upload(upload(name, content))


def test_the_size_limit_holds(settings):
    settings.HANDBOOK_ATTACHMENT_MAX_BYTES = 1000
    with refused(AttachmentError, "attachment_over_limit", "för stor"):
        checked_upload(upload("kontrakt.pdf", PDF + b"0" * 1000))
    assert checked_upload(upload("kontrakt.pdf", PDF))[2] == "pdf"


def test_a_proposal_with_an_image_shows_it_and_the_page_keeps_it(client, members):
    author, first, second = members
    page = make_page("huset", title="Huset", body="Om huset.\n")
    client.force_login(author)
    response = client.post(
        reverse("handbook:propose_change", args=["huset"]),
        {
            "message": "Bild på säkringsskåpet",
            "body": "Om huset.\n\nSäkringsskåpet sitter i hallen.\n",
            "attachment": upload("säkringar.png", png_bytes(), "image/png"),
            "save": "1",
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    attachment = Attachment.objects.get()
    assert attachment.proposal == proposal and attachment.page is None
    assert proposal.body.endswith(f"![sakringar]({attachment.get_absolute_url()})\n")
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert f'<img src="{attachment.get_absolute_url()}" alt="sakringar"' in detail

    services.approve(proposal=proposal, approver=first)
    services.approve(proposal=proposal, approver=second)
    attachment.refresh_from_db()
    assert attachment.page == page
    services.save_revision(page=page, title="Huset", body="Om huset, utan bild.\n")
    html = client.get(page.get_absolute_url()).content.decode()
    assert attachment.get_absolute_url() in html  # still listed under Bilagor


def test_a_refused_upload_keeps_the_form_and_saves_nothing(client, members, media):
    make_page("huset", title="Huset", body="Om huset.\n")
    client.force_login(members[0])
    response = client.post(
        reverse("handbook:propose_change", args=["huset"]),
        {
            "message": "Planritning",
            "body": "Ny text.\n",
            "attachment": upload("planritning.png", b"<script>alert(1)</script>"),
            "save": "1",
        },
    )
    assert response.status_code == 200
    assert "ingen läsbar bild" in response.content.decode()
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    assert not any(media.rglob("*.*"))


def test_an_empty_proposal_with_an_upload_leaves_no_file(members, media):
    page = make_page("huset", title="Huset", body="Om huset.\n")

    with pytest.raises(services.ProposalError):
        propose_with_attachment(
            propose=lambda body: services.propose_change(
                page=page, body=body, author=members[0], message=""
            ),
            body="Ny.\n",
            upload=upload("a.png", png_bytes()),
            uploaded_by=members[0],
        )
    assert not Attachment.objects.exists() and not any(media.rglob("*.*"))


def test_members_download_others_get_nothing(client, members):
    page = make_page("huset")
    image = save_attachment(upload=upload("bild.png", png_bytes()), uploaded_by=None, page=page)
    pdf = save_attachment(upload=upload("Kontrakt 2025.pdf", PDF), uploaded_by=None, page=page)

    response = client.get(image.get_absolute_url())
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]

    # Logins that are not household members (household.roles.is_household_member): the membership
    # middleware answers 403 for the whole handbook, and no byte of the file.
    for outsider in (
        make_login("gast", is_staff=False),
        make_login("utan-hyresgast", role="Boende", is_staff=False),  # a group, no tenant
    ):
        client.force_login(outsider)
        for item in (image, pdf):
            response = client.get(item.get_absolute_url())
            assert response.status_code == 403
            assert not response.streaming and PDF not in response.content

    client.force_login(members[0])
    response = client.get(pdf.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kontrakt-2025.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    response = client.get(image.get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")


def test_the_view_refuses_an_outsider_as_the_membership_middleware_does(client, settings):
    """The attachment view checks membership itself too (the file may leave through nginx):
    its refusal is the middleware's, 403 with the "for household members" page, not a 404
    that would say the file is not there."""
    page = make_page("huset")
    pdf = save_attachment(upload=upload("kontrakt.pdf", PDF), uploaded_by=None, page=page)
    client.force_login(make_login("gast", is_staff=False))
    by_middleware = client.get(pdf.get_absolute_url())
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("HouseholdMembersOnlyMiddleware")
    ]
    without = Client()  # a client loads the middleware on its first request
    without.force_login(make_login("gast2", is_staff=False))
    by_view = without.get(pdf.get_absolute_url())
    for response in (by_middleware, by_view):
        assert response.status_code == 403
        assert "För de som bor i huset" in response.content.decode()
        assert PDF not in response.content


def test_behind_nginx_the_file_is_sent_by_x_accel_redirect(client, members, settings):
    settings.HANDBOOK_ATTACHMENTS_X_ACCEL = True
    pdf = save_attachment(upload=upload("kontrakt.pdf", PDF), uploaded_by=None)
    client.force_login(members[0])
    response = client.get(pdf.get_absolute_url())
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{pdf.file.name}"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(make_login("gast", is_staff=False))
    assert "X-Accel-Redirect" not in client.get(pdf.get_absolute_url())


def test_production_settings_turn_the_nginx_header_on_and_nginx_knows_the_location():
    production = read_env_file(REPO_ROOT / "deploy" / "env.example")
    script = "from django.conf import settings; print(settings.HANDBOOK_ATTACHMENTS_X_ACCEL)"
    result = manage("shell", "--no-imports", "-c", script, env=project_env(**production))
    assert result.stdout.strip() == "True", result.stderr
    development = manage("shell", "--no-imports", "-c", script, env=project_env(DEBUG="true"))
    assert development.stdout.strip() == "False"
    nginx = (REPO_ROOT / "deploy" / "nginx.conf.example").read_text()
    assert "location /protected-media/" in nginx and "internal;" in nginx


# Work bounded by pixels (issue 21; the seconds are in bench/attachments.py) -----------------


def png_of_size(width: int, height: int) -> bytes:
    """A PNG whose header says width × height, with a few bytes of pixel data: a file of
    about a hundred bytes that would be megapixels to decode."""
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def test_the_6300_by_6300_png_of_the_probe_is_refused_by_its_pixels_before_decoding(
    monkeypatch,
):
    data = png_of_size(6300, 6300)
    loaded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: loaded.append(self))
    with refused(AttachmentError, "attachment_too_many_pixels") as refusal:
        checked_upload(upload("affisch.png", data))
    with translation.override("sv"):
        assert refusal.value.message == (
            "”affisch.png” har för många pixlar (6300×6300); högst 16 megapixlar: skala ner den."
        )
    assert loaded == []  # refused from the header, never decoded
    assert attachments.MAX_PIXELS < 6300 * 6300


def test_one_pixel_over_the_cap_is_refused():
    with refused(AttachmentError, "attachment_too_many_pixels", "för många pixlar"):
        checked_upload(upload("remsa.png", png_of_size(MAX_PIXELS + 1, 1)))
    with refused(AttachmentError, "attachment_not_an_image", "är ingen läsbar bild"):
        checked_upload(upload("remsa.png", png_of_size(MAX_PIXELS, 1)))  # let in, then decoded


@pytest.mark.parametrize(("side", "optimized"), [(1000, True), (1500, False)])
def test_large_images_skip_the_optimize_pass(monkeypatch, side, optimized):
    saves = []
    real_save = Image.Image.save

    def spy(self, fp, format=None, **params):  # noqa: A002 - Pillow's own name
        saves.append((format, params))
        return real_save(self, fp, format=format, **params)

    monkeypatch.setattr(Image.Image, "save", spy)
    checked_upload(upload("stor.png", png_bytes(size=(side, side))))
    out = io.BytesIO()
    Image.new("RGB", (side, side)).save(out, format="JPEG")
    checked_upload(upload("stor.jpg", out.getvalue()))
    png, jpeg = saves[-3], saves[-1]  # [png built, png re-encoded, jpeg built, jpeg re-encoded]
    assert png[0] == "PNG" and jpeg[0] == "JPEG"
    assert png[1].get("optimize", False) is optimized
    assert jpeg[1]["optimize"] is optimized
