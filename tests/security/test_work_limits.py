"""Bounded work per request: handbook texts have a length and a line limit, render with work
proportional to their length, and the worst text inside the limits costs a few times an ordinary
page; the live example renders at most once per page.

Work is counted, not timed: the Python function calls a render makes (`python_calls`), the same
on a busy machine as on an idle one. An ordinary 100 000-character page makes about 380 000; the
worst texts inside the limits about 1.6 million (0.25-0.35 s on an idle 2-core machine; before
the markup budget they took 1.1-2.5 s). The seconds are `bench/markdown_limits.py`'s figures.
"""

import sys
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from handbook import rent_panel
from handbook.forms import within_text_limit
from handbook.markdown import MAX_INLINE_MARKUP, MAX_LINES, render_markdown, within_render_limits
from handbook.models import Proposal
from tests.builders import make_member, make_page, make_tenant, set_config

TWO_MB = 2_000_000


def nested_list(size: int) -> str:
    lines, depth, length = [], 0, 0
    while length < size:
        lines.append("  " * depth + "- punkt\n")
        length += len(lines[-1])
        depth = (depth + 1) % 60
    return "".join(lines)


HOSTILE = {
    "brackets": lambda n: "[" * n,
    "image brackets": lambda n: "![" * (n // 2),
    "stars": lambda n: "*" * n,
    "backticks": lambda n: "`" * n,
    "mixed": lambda n: "[*`_<" * (n // 5),
    "nested lists": nested_list,
}


# The most Python calls one render may make: about five ordinary pages at the length limit.
RENDER_CALL_LIMIT = 2_000_000
# A text that is never parsed: a handful of calls, whatever its length.
UNPARSED_CALL_LIMIT = 1_000


def python_calls(function, *args, **kwargs) -> int:
    """How many Python functions `function(*args, **kwargs)` calls, itself included: a measure of
    its work that does not depend on the machine's speed or load."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        function(*args, **kwargs)
    finally:
        sys.setprofile(None)
    return calls


def test_python_calls_counts_the_work_of_a_function():
    def fibonacci(n):
        return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)

    assert python_calls(fibonacci, 10) == 177  # the calls of the naive recursion
    line = "Det här är en vanlig mening med [en länk](/x/) och *lite* betoning.\n\n"
    assert python_calls(render_markdown, line * 100) * 5 < python_calls(
        render_markdown, line * 1000
    )


@pytest.mark.parametrize("kind", HOSTILE)
def test_two_megabytes_of_hostile_markdown_are_never_parsed(kind):
    text = HOSTILE[kind](TWO_MB)
    assert len(text) >= TWO_MB * 0.99
    assert python_calls(render_markdown, text) < UNPARSED_CALL_LIMIT
    rendered = render_markdown(text)
    assert rendered.html.startswith("<pre>")  # over the limit: shown as text, never parsed


@pytest.mark.parametrize("kind", HOSTILE)
def test_rendering_work_grows_in_proportion_to_the_text(kind, settings):
    """Within the limit the parser runs: four times the text takes about four times the work
    (a quadratic parser would take sixteen)."""
    small = python_calls(render_markdown, HOSTILE[kind](10_000))
    large = python_calls(render_markdown, HOSTILE[kind](40_000))
    assert large < max(small, UNPARSED_CALL_LIMIT) * 6, (small, large)


def at_the_limits(line: str) -> str:
    """`line` (cut to 19 characters) on MAX_LINES lines: 100 000 characters, the most of both."""
    return (((line * 20)[:19] + "\n") * MAX_LINES)[: settings_limit()]


def settings_limit() -> int:
    # Here, not at the top: in this module `settings` is the pytest fixture's name.
    from django.conf import settings

    return settings.HANDBOOK_MAX_TEXT_CHARS


def in_blocks(unit: str) -> str:
    """Small paragraphs of markup: each fits the inline budget, so they spend it all."""
    return ((unit * 19)[:38] + "\n\n") * (MAX_LINES // 2)


# The slowest texts found inside both limits (a search over markup runs, list items, quotes,
# headings, tables and code): before the budget, the line limit and constant-time anchors,
# several took 1.1-2.5 s; now each makes at most about 1.6 million calls (about 0.25 s).
WORST_AT_THE_LIMITS = {
    "list items of [ ": lambda: at_the_limits("- " + "[ " * 10),
    "list items of [": lambda: at_the_limits("- " + "[" * 10),
    "numbered items of &#": lambda: at_the_limits("1. " + "&#" * 10),
    "list items of ![": lambda: at_the_limits("- " + "![" * 10),
    "nested items of *a": lambda: at_the_limits("  - " + "*a" * 10),
    "reference-like items": lambda: at_the_limits("- " + "[a]: " * 4),
    "equal headings": lambda: at_the_limits("# " + "a" * 17),
    "headings of *a": lambda: at_the_limits("# " + "*a" * 10),
    "one paragraph of [": lambda: at_the_limits("[" * 19),
    "paragraphs of ![": lambda: in_blocks("!["),
    "paragraphs of [ ": lambda: in_blocks("[ "),
    "unclosed links": lambda: at_the_limits("[" + "a " * 8 + "]("),
    "table rows": lambda: at_the_limits("| [ | ![ | *a |"),
    "one long line of ![": lambda: "![" * (settings_limit() // 2),
    "one long line of [ ": lambda: "[ " * (settings_limit() // 2),
}


@pytest.mark.parametrize("kind", WORST_AT_THE_LIMITS)
def test_the_worst_texts_inside_the_limits_cost_a_few_ordinary_pages(kind):
    text = WORST_AT_THE_LIMITS[kind]()
    assert within_render_limits(text) and len(text) >= settings_limit() * 0.9
    assert python_calls(render_markdown, text) < RENDER_CALL_LIMIT
    assert not render_markdown(text).html.startswith("<pre>")  # parsed, not refused


def test_a_block_over_the_markup_budget_is_plain_text_and_the_rest_still_renders():
    hostile = "![" * (MAX_INLINE_MARKUP // 2 + 1)
    text = f"# Rubrik\n\n{hostile}\n\nSe [husreglerna](/handbok/husregler/) och *diska*.\n"
    html = render_markdown(text).html
    assert '<h1 id="rubrik">Rubrik</h1>' in html
    assert f"<p>{hostile}</p>" in html  # shown as written, never parsed
    assert '<a href="/handbok/husregler/"' in html and "<em>diska</em>" in html


def test_an_ordinary_long_page_is_rendered_whole():
    """A page at the character limit with a link and emphasis on every line (5 % markup):
    the budget is never the reason for plain text."""
    line = "Det här är en vanlig mening med [en länk](/x/) och *lite* betoning.\n\n"
    text = line * (settings_limit() // len(line))
    html = render_markdown(text).html
    assert html.count("<a ") == text.count("[en länk]") > 1000
    assert html.count("<em>") == text.count("*lite*")


def test_markup_in_plain_text_blocks_is_escaped():
    hostile = "<" * (MAX_INLINE_MARKUP + 1)
    html = render_markdown(f"{hostile}<script>alert(1)</script>").html
    assert "<script" not in html and "&lt;script&gt;" in html


def test_a_text_with_too_many_lines_is_shown_as_text_and_refused_by_the_form():
    text = "a\n" * (MAX_LINES + 1)
    assert len(text) < settings_limit() and not within_render_limits(text)
    assert python_calls(render_markdown, text) < UNPARSED_CALL_LIMIT
    assert render_markdown(text).html.startswith("<pre>")
    lone_returns = "a\r" * (MAX_LINES + 1)  # the parser reads a lone CR as a line break
    assert not within_render_limits(lone_returns)
    with pytest.raises(ValidationError) as refused:
        within_text_limit(text)
    assert refused.value.code == "too_many_lines"
    within_text_limit("a\n" * MAX_LINES)


# A whole request with its form, page and template: parsing the body would cost millions.
PREVIEW_CALL_LIMIT = 400_000


@pytest.mark.django_db
def test_a_preview_over_the_limit_is_refused_without_parsing_it(client, settings):
    make_page("husregler", title="Husregler")
    client.force_login(make_member("astrid"))
    body = "[" * 2_400_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3_000_000
    responses = []
    calls = python_calls(
        lambda: responses.append(
            client.post(
                reverse("handbook:propose_change", args=["husregler"]),
                {"title": "Husregler", "body": body, "message": "", "preview": "1"},
            )
        )
    )
    assert calls < PREVIEW_CALL_LIMIT, calls
    (response,) = responses
    assert response.status_code == 200
    html = response.content.decode()
    assert "Texten är för lång: 2400000 tecken, högst 100000." in html
    assert 'data-testid="preview"><p class="muted">' in html  # nothing was rendered
    response = client.post(
        reverse("handbook:propose_change", args=["husregler"]),
        {"title": "Husregler", "body": body, "message": ""},
    )
    assert response.status_code == 200 and not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_preview_with_too_many_lines_is_refused_in_swedish(client):
    make_page("husregler", title="Husregler")
    client.force_login(make_member("astrid"))
    response = client.post(
        reverse("handbook:propose_change", args=["husregler"]),
        {"title": "Husregler", "body": "-\n" * (MAX_LINES + 1), "message": "", "preview": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Texten har för många rader: {MAX_LINES + 1}, högst {MAX_LINES}." in html
    assert 'data-testid="preview"><p class="muted">' in html  # nothing was rendered


@pytest.mark.django_db
def test_the_live_example_renders_once_however_often_the_marker_appears(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 9, 10))
    set_config("kallhyra", 24530, date(2025, 9, 1))
    make_tenant("Adam")
    calls = []

    original = rent_panel.live_example_html
    monkeypatch.setattr(
        rent_panel, "live_example_html", lambda **kw: calls.append(1) or original(**kw)
    )
    body = "[[hyresexempel]]\n\n" * 2000
    assert len(body) < 40_000
    make_page("hur", title="Hur", body=body)
    client.force_login(make_member("astrid"))
    response = client.get("/handbok/hur/")
    html = response.content.decode()
    assert len(calls) == 1
    assert html.count('data-testid="rent-example"') == 1
    assert "[[hyresexempel]]" not in html
    assert len(html) < 200_000
