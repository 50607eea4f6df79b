"""Importing a folder of Markdown files as handbook pages (slug from the file name, title from
the first heading).

The database is the handbook's single source of truth, and the run command imports on every
start, so an import never overwrites what members changed in the app: a page gets a new revision
only when its file changed since the last import *and* nobody has changed the page since then.
A page changed in the app is kept and reported.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from handbook import services
from handbook.errors import HandbookError
from handbook.models import Page

# "01-husregler.md": an optional number before the name orders the table of contents.
ORDER_PREFIX = re.compile(r"^(\d+)[-_ ]+(.+)$")
FIRST_HEADING = re.compile(r"^ {0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


class HandbookImportError(HandbookError):
    """A file of the folder cannot become a page (named in the message); nothing is imported."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed in the app since the last import

    def lines(self) -> list[str]:
        """The report in English, as import_rent's: for whoever deploys, like every command's
        output and str() of every refusal (household.errors)."""
        out = [
            f"{label}: {slug}"
            for label, slugs in (
                ("created", self.created),
                ("updated", self.updated),
                ("unchanged", self.unchanged),
                ("kept, changed in the app", self.kept),
            )
            for slug in slugs
        ]
        summary = (
            f"Handbook: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.kept:
            summary += f", {len(self.kept)} kept (changed in the app since the last import)"
        return [*out, f"{summary}."]


@dataclass(frozen=True)
class PageFile:
    slug: str
    title: str
    body: str
    name: str
    sha256: str
    position: int | None = None


def read_page_file(path: Path) -> PageFile:
    """A file's page: the first `# heading` is the title, and is not repeated in the body."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise HandbookImportError("import_not_utf8", name=path.name, byte=error.start) from error
    stem, position = path.stem, None
    prefix = ORDER_PREFIX.match(stem)
    if prefix:
        position, stem = int(prefix.group(1)), prefix.group(2)
    match = FIRST_HEADING.search(text)
    if match:
        title = match.group(1).strip()
        body = (text[: match.start()] + text[match.end() :]).strip("\n") + "\n"
    else:
        title = stem.replace("-", " ").replace("_", " ").strip().capitalize()
        body = text.strip("\n") + "\n"
    return PageFile(
        slug=slugify(stem),
        position=position,
        title=title,
        body=body,
        name=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def page_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise HandbookImportError("import_no_folder", folder=str(folder))
    # Only the folder's own files: a symlink (or anything) leading outside it is not read.
    inside = folder.resolve()
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() == ".md"
        and not path.is_symlink()
        and path.is_file()
        and path.resolve().parent == inside
    )


@transaction.atomic
def import_folder(folder: Path, *, author=None) -> ImportReport:
    """Create or update one page per Markdown file; safe to run again and again."""
    report = ImportReport()
    files = [read_page_file(path) for path in page_files(folder)]
    seen: dict[str, str] = {}
    for page_file in files:
        if page_file.slug in seen:
            raise HandbookImportError(
                "import_same_address",
                first=seen[page_file.slug],
                second=page_file.name,
                slug=page_file.slug,
            )
        seen[page_file.slug] = page_file.name
    for page_file in files:
        page = Page.objects.select_related("current_revision").filter(slug=page_file.slug).first()
        if page is None:
            _create(page_file, author)
            report.created.append(page_file.slug)
            continue
        last_import = page.revisions.exclude(source_sha256="").order_by("-id").first()
        same_text = page.title == page_file.title and page.body == page_file.body
        if same_text or (last_import and last_import.source_sha256 == page_file.sha256):
            report.unchanged.append(page_file.slug)
        elif last_import is None or page.current_revision_id != last_import.pk:
            report.kept.append(page_file.slug)
        else:
            services.save_revision(
                page=page,
                title=page_file.title,
                body=page_file.body,
                author=author,
                message=f"Importerad från {page_file.name}",
                source_sha256=page_file.sha256,
            )
            report.updated.append(page_file.slug)
    return report


def _create(page_file: PageFile, author) -> None:
    try:
        services.create_page(
            slug=page_file.slug,
            title=page_file.title,
            body=page_file.body,
            author=author,
            message=f"Importerad från {page_file.name}",
            source_sha256=page_file.sha256,
            position=page_file.position,
        )
    except services.ProposalError as error:
        raise HandbookImportError(
            "import_page_refused", name=page_file.name, reason=error
        ) from error
