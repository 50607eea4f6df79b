"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only an allowlist.

Pages are written by housemates, so every rendered page passes through the sanitizer: no script,
no event handlers, no javascript: or data: URLs, no iframes, no style of any kind. Images from
other sites become links (the Content-Security-Policy would not load them anyway, and a reader's
address is not told to a stranger's server).

The work of one render is bounded three times. A text longer than HANDBOOK_MAX_TEXT_CHARS
(100 000) or with more than MAX_LINES lines is never parsed (shown as plain text): the block
parser costs 15-30 µs a line, so 50 000 one-character lines took 0.9 s, while a 100 000-character
page of ordinary prose has about 2 000 lines. Inside those limits the inline parser costs up to
10-60 µs per markup character (`[`, `!`, `*`, `_`, `` ` ``, `<`, `&`, `~`, `]`) when they never
pair up: 100 000 characters of `![` took 1.3 s. Ordinary pages have 2-5 % markup (a
100 000-character page 2 000-5 000), link lists up to 10 %. So the inline parser gets a budget
of MAX_INLINE_MARKUP markup characters per text, spent block by block (paragraph, heading, table
cell) in order; a block that would overspend it is shown as its plain text instead (escaped,
never parsed); later blocks still get what is left. Together with anchors made in constant time
per heading, the worst text found inside the limits renders in about 0.25 s on a 2-core machine
(tests/security/test_work_limits.py).
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
# Inline markup characters the budget counts (see the module's docstring), and the budget.
INLINE_MARKUP = frozenset("[]!*_`<&~")
MAX_INLINE_MARKUP = 10_000
MAX_LINES = 5_000
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
    parser = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(
        ["table", "strikethrough"]
    )
    parser.core.ruler.before("inline", "bound_inline_work", _bound_inline_work)
    parser.core.ruler.after("inline", "unparsed_as_text", _unparsed_as_text)
    return parser


def _markup_count(text: str) -> int:
    return sum(text.count(character) for character in INLINE_MARKUP)


def _bound_inline_work(state) -> None:
    """Before inline parsing: a block whose markup would overspend the text's budget becomes
    plain text (the renderer escapes a `text` token's content), so hostile runs of `[` or `![`
    cost no more than an ordinary page."""
    budget = MAX_INLINE_MARKUP
    for token in state.tokens:
        if token.type != "inline":
            continue
        markup = _markup_count(token.content)
        if markup <= budget:
            budget -= markup
        else:
            token.type, token.meta["unparsed"] = "unparsed", True  # the inline rule skips it


def _unparsed_as_text(state) -> None:
    """After inline parsing: an unparsed block is one text (escaped when rendered)."""
    for token in state.tokens:
        if token.meta.get("unparsed"):
            token.type = "inline"
            token.children = [Token("text", "", 0, content=token.content)]


def _unique_anchor(text: str, taken: dict[str, int]) -> str:
    """`rubrik`, `rubrik-2`, `rubrik-3` …; `taken` remembers each base's next number, so a page
    of thousands of equal headings costs no more than one of different ones."""
    base = slugify(text) or "rubrik"
    anchor, serial = base, taken.get(base, 2)
    while anchor in taken:
        anchor, serial = f"{base}-{serial}", serial + 1
    taken[base] = max(taken.get(base, 2), serial)
    taken.setdefault(anchor, 2)
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


def line_count(text: str) -> int:
    """Lines as the parser sees them (it reads a lone CR as a line break too)."""
    return len(text.splitlines())


def within_render_limits(text: str) -> bool:
    """Short enough to parse: at most HANDBOOK_MAX_TEXT_CHARS characters and MAX_LINES lines."""
    return len(text) <= settings.HANDBOOK_MAX_TEXT_CHARS and line_count(text) <= MAX_LINES


def render_markdown(text: str) -> RenderedMarkdown:
    """Render a page's Markdown; every heading gets an anchor and a place in its contents."""
    text = text or ""
    if not within_render_limits(text):
        # Only a text saved before the limits (or by import) can be this long: shown as it is.
        return RenderedMarkdown(html=f"<pre>{escape(text)}</pre>", headings=[])
    parser = _parser()
    tokens = parser.parse(text)
    _external_images_as_links(tokens)
    headings: list[Heading] = []
    taken: dict[str, int] = {}
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
