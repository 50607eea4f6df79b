"""Who may see what in the handbook: every URL the app routes, asked (GET) as each of the
household's people (tests/people.py), with the one outcome each must get."""

from django.core.files.uploadedfile import SimpleUploadedFile

from handbook import services
from handbook.attachments import save_attachment
from tests.access import LOGIN, differences, label_names, url_names, walk
from tests.builders import make_page

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Anyone not logged in goes to the login; a login that is no household member (moved out, no
# tenant) gets 403 on every handbook URL (kimonokittens.middleware). A member and the treasurer
# read everything; only a proposal's or comment's author may change it (404 for others); the
# buttons take POST only (405 to a GET).
# fmt: off
EXPECTED = {
    #                             anonymous member                treasurer   moved_out no_tenant
    "index":                      (LOGIN,    200,                  200,        403,      403),
    "search":                     (LOGIN,    200,                  200,        403,      403),
    "rent_statement":             (LOGIN,    "302 /hyra/{member}/", "302 /hyra/", 403,   403),
    "rent_panel":                 (LOGIN,    200,                  200,        403,      403),
    "notifications":              (LOGIN,    200,                  200,        403,      403),
    "attachment":                 (LOGIN,    200,                  200,        403,      403),
    "attachment: no such file":   (LOGIN,    404,                  404,        403,      403),
    "proposals":                  (LOGIN,    200,                  200,        403,      403),
    "propose_page":               (LOGIN,    200,                  200,        403,      403),
    "proposal":                   (LOGIN,    200,                  200,        403,      403),
    "proposal: no such proposal": (LOGIN,    404,                  404,        403,      403),
    "proposal_update":            (LOGIN,    200,                  404,        403,      403),
    "proposal_approve":           (LOGIN,    405,                  405,        403,      403),
    "proposal_withdraw":          (LOGIN,    405,                  405,        403,      403),
    "proposal_reject":            (LOGIN,    405,                  405,        403,      403),
    "comment":                    (LOGIN,    405,                  405,        403,      403),
    "comment_edit":               (LOGIN,    200,                  404,        403,      403),
    "page":                       (LOGIN,    200,                  200,        403,      403),
    "page: no such page":         (LOGIN,    404,                  404,        403,      403),
    "propose_change":             (LOGIN,    200,                  200,        403,      403),
    "watch":                      (LOGIN,    405,                  405,        403,      403),
    "history":                    (LOGIN,    200,                  200,        403,      403),
    "compare":                    (LOGIN,    200,                  200,        403,      403),
    "compare: no versions named": (LOGIN,    404,                  404,        403,      403),
    "revision":                   (LOGIN,    200,                  200,        403,      403),
    "restore":                    (LOGIN,    405,                  405,        403,      403),
}
# fmt: on


def urls(people) -> dict[str, str]:
    """Every handbook URL, with a page, a proposal, a comment and an attachment by the member."""
    page = make_page("husregler", title="Husregler", body="Tyst efter 22.\n")
    proposal = services.propose_change(
        page=page, title="X", body="Y", author=people.member, message="Kortare husregler"
    )
    comment = services.add_comment(proposal=proposal, author=people.member, body="Ok?")
    attachment = save_attachment(
        upload=SimpleUploadedFile("kontrakt.pdf", PDF), uploaded_by=people.member, page=page
    )
    revision = page.current_revision.pk
    p = proposal.pk
    return {
        "index": "/handbok/",
        "search": "/handbok/sok/?q=tyst",
        "rent_statement": "/handbok/hyra/",
        "rent_panel": "/handbok/hyra/panel/",
        "notifications": "/handbok/aviseringar/",
        "attachment": attachment.get_absolute_url(),
        "attachment: no such file": "/handbok/bilagor/999999/kontrakt.pdf",
        "proposals": "/handbok/forslag/",
        "propose_page": "/handbok/forslag/ny/",
        "proposal": f"/handbok/forslag/{p}/",
        "proposal: no such proposal": "/handbok/forslag/999999/",
        "proposal_update": f"/handbok/forslag/{p}/uppdatera/",
        "proposal_approve": f"/handbok/forslag/{p}/godkann/",
        "proposal_withdraw": f"/handbok/forslag/{p}/dra-tillbaka/",
        "proposal_reject": f"/handbok/forslag/{p}/avvisa/",
        "comment": f"/handbok/forslag/{p}/kommentera/",
        "comment_edit": f"/handbok/forslag/{p}/kommentar/{comment.pk}/",
        "page": "/handbok/husregler/",
        "page: no such page": "/handbok/finns-inte/",
        "propose_change": "/handbok/husregler/foresla/",
        "watch": "/handbok/husregler/bevaka/",
        "history": "/handbok/husregler/historik/",
        "compare": f"/handbok/husregler/historik/jamfor/?fran={revision}&till={revision}",
        "compare: no versions named": "/handbok/husregler/historik/jamfor/",
        "revision": f"/handbok/husregler/historik/{revision}/",
        "restore": f"/handbok/husregler/historik/{revision}/aterstall/",
    }


def test_every_handbook_url_has_its_row_in_the_table():
    assert label_names(EXPECTED) == url_names("handbook")


def test_who_may_see_each_handbook_page(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.HANDBOOK_ATTACHMENTS_X_ACCEL = False
    expected = {
        label: tuple(
            cell.format(member=people.member_tenant.pk) if isinstance(cell, str) else cell
            for cell in row
        )
        for label, row in EXPECTED.items()
    }
    assert differences(walk(client, people, urls(people)), expected) == {}
