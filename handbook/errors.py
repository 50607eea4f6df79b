"""The handbook's refusals, named by code: `HandbookError(code, **params)`.

The same base as rent's errors (household.errors.CodedError): the code is stable (tests, logs),
`str(error)` is the English sentence (commands, logs), `error.message` the sentence in the active
language, which is what pages show. Each code has one English msgid here, its Swedish in the .po.
"""

from household.errors import CodedError, gettext_noop

MESSAGES: dict[str, str] = {
    # Pages and proposals (handbook.services).
    "slug_missing": gettext_noop("The page needs an address (letters a–z, digits and hyphens)."),
    "slug_reserved": gettext_noop(
        "The address “%(slug)s” is taken by the handbook itself; choose another one."
    ),
    "slug_taken": gettext_noop("There is already a page with the address “%(slug)s”."),
    "title_missing": gettext_noop("The page needs a title."),
    "summary_missing": gettext_noop("Say in a few words what the proposal changes and why."),
    # household.text_rules' sentence (the same msgid), with its parameters: read in the language
    # of whoever reads the error, English in logs.
    "text_refused": gettext_noop(
        "Contains an invisible or direction-changing character (%(codepoint)s %(name)s); remove it."
    ),
    "changes_nothing": gettext_noop(
        "The proposal changes nothing: its text and title are the same as the page's."
    ),
    "proposal_closed": gettext_noop("The proposal is no longer open (it is %(status)s)."),
    "update_not_author": gettext_noop("Only the one who wrote the proposal can update it."),
    "approve_logged_out": gettext_noop("Log in to approve."),
    "approve_not_member": gettext_noop("Only household members can approve proposals."),
    "approve_own": gettext_noop("You cannot approve your own proposal."),
    "approve_again": gettext_noop("You have already approved this proposal."),
    "withdraw_not_author": gettext_noop("Only the one who wrote the proposal can withdraw it."),
    "reject_not_allowed": gettext_noop(
        "Only the treasurer or an administrator can reject proposals."
    ),
    "comment_empty": gettext_noop("The comment is empty."),
    "comment_too_long": gettext_noop("The comment is too long (at most 10 000 characters)."),
    "comment_edit_refused": gettext_noop(
        "Only its author can change a comment, and only for %(minutes)s minutes."
    ),
    # Revisions (handbook.models): never changed, a change is a new one.
    "revision_immutable": gettext_noop("A revision is never changed; save a new one instead."),
    # Uploads (handbook.attachments): the message names the file and says why.
    "attachment_too_many_pixels": gettext_noop(
        "“%(name)s” has too many pixels (%(width)s×%(height)s); at most "
        "%(limit)s megapixels: scale it down."
    ),
    "attachment_not_an_image": gettext_noop("“%(name)s” is not a readable image."),
    "attachment_wrong_content": gettext_noop(
        "“%(name)s” is not what its extension says (the content is %(found)s)."
    ),
    "attachment_over_limit": gettext_noop("“%(name)s” is too large: at most %(limit)s MB."),
    "attachment_too_large": gettext_noop("“%(name)s” is too large."),
    "attachment_not_a_pdf": gettext_noop("“%(name)s” is not a PDF."),
    "attachment_kind_refused": gettext_noop(
        "“%(name)s”: only images (JPEG, PNG, GIF, WebP) and PDFs can be attached."
    ),
    # A folder of Markdown files (handbook.importing, import_handbook).
    "import_no_folder": gettext_noop("No folder: %(folder)s"),
    "import_not_utf8": gettext_noop("%(name)s: not UTF-8 (byte %(byte)s); save the file as UTF-8"),
    "import_same_address": gettext_noop(
        "%(first)s and %(second)s give the same address “%(slug)s”; rename one of them"
    ),
    "import_page_refused": gettext_noop("%(name)s: %(reason)s"),  # the page's own refusal
    # A handbook backup (handbook.backup): the message names the file and what is wrong.
    "backup_file_missing": gettext_noop("%(path)s: the file is missing"),
    "backup_not_json": gettext_noop("%(path)s: not JSON (%(reason)s)"),
    "backup_wrong_format": gettext_noop(
        "%(path)s: not a handbook backup of format %(format)s version %(version)s"
    ),
    "backup_not_a_list": gettext_noop("%(path)s: “%(key)s” must be a list"),
    "backup_page_incomplete": gettext_noop("%(path)s: a page lacks %(key)s"),
    "backup_bad_attachment_name": gettext_noop("%(path)s: a bad attachment file name"),
    "backup_attachment_missing": gettext_noop("%(path)s: the attachment's file is missing"),
}


class HandbookError(CodedError):
    """A refusal by the handbook's services, named by `code` (a key of `MESSAGES`)."""

    MESSAGES = MESSAGES
