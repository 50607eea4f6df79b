"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only an allowlist.

Pages are written by housemates, so every rendered page passes through the sanitizer: no script,
no event handlers, no javascript: or data: URLs, no iframes, no style of any kind. Images from
other sites become links (the Content-Security-Policy would not load them anyway, and a reader's
address is not told to a stranger's server). A text longer than HANDBOOK_MAX_TEXT_CHARS is never
parsed: parsing costs up to about 13 µs a character for hostile input (2 MB of `![`), so the
limit bounds the work of one request.
"""

from dataclasses import dataclass
from html import escape

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "b", "i", "s", "del", "ins", "mark", "sub", "sup", "small", "kbd", "abbr",
    "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td", "details", "summary",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "code": {"class"},
    "abbr": {"title"},
    **{tag: {"id"} for tag in HEADINGS},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed together with everything inside them, not just unwrapped.
REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class RenderedMarkdown:
    html: SafeString  # sanitized by nh3: templates show it as it is, no mark_safe needed
    headings: list[Heading]


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def _unique_anchor(text: str, taken: set[str]) -> str:
    base = slugify(text) or "rubrik"
    anchor, serial = base, 2
    while anchor in taken:
        anchor, serial = f"{base}-{serial}", serial + 1
    taken.add(anchor)
    return anchor


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        clean_content_tags=REMOVED_WITH_CONTENT,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _is_own_image(src: str) -> bool:
    """A path on this site (`/static/...`, `bild.png`), not another site's address."""
    return not src.startswith("//") and ":" not in src.split("/", 1)[0]


def _external_images_as_links(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        for child in token.children:
            src = str(child.attrGet("src") or "") if child.type == "image" else ""
            if child.type != "image" or _is_own_image(src):
                children.append(child)
                continue
            label = child.content or src
            children += [
                Token("link_open", "a", 1, attrs={"href": src}),
                Token("text", "", 0, content=label),
                Token("link_close", "a", -1),
            ]
        token.children = children


def render_markdown(text: str) -> RenderedMarkdown:
    """Render a page's Markdown; every heading gets an anchor and a place in its contents."""
    text = text or ""
    if len(text) > settings.HANDBOOK_MAX_TEXT_CHARS:
        # Only a text saved before the limit (or by import) can be this long: shown as it is.
        return RenderedMarkdown(html=f"<pre>{escape(text)}</pre>", headings=[])
    parser = _parser()
    tokens = parser.parse(text)
    _external_images_as_links(tokens)
    headings: list[Heading] = []
    taken: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        plain = "".join(
            child.content
            for child in (inline.children or [])
            if child.type in {"text", "code_inline"}
        ).strip()
        anchor = _unique_anchor(plain, taken)
        token.attrSet("id", anchor)
        headings.append(Heading(level=int(token.tag[1]), text=plain, anchor=anchor))
    html = parser.renderer.render(tokens, parser.options, {})
    safe = mark_safe(sanitize_html(html))  # noqa: S308 - nh3 keeps only the allowed HTML
    return RenderedMarkdown(html=safe, headings=headings)
