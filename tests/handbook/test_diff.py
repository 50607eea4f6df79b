"""Readable diffs: words marked within changed lines, unchanged stretches folded, no hunks."""

from handbook.diff import DiffRow, Segment, diff_stats, word_diff, word_segments


def marked(segments: list[Segment]) -> str:
    """Segments as text with [-removed-] and {+added+}, to assert on in one string."""
    out = []
    for segment in segments:
        if segment.kind == "added":
            out.append("{+" + segment.text + "+}")
        elif segment.kind == "removed":
            out.append("[-" + segment.text + "-]")
        else:
            out.append(segment.text)
    return "".join(out)


def test_one_changed_word_in_a_swedish_sentence_is_marked_alone():
    segments = word_segments(
        "Tyst i huset efter 22.00 på vardagar.", "Tyst i huset efter 23.00 på vardagar."
    )
    assert marked(segments) == "Tyst i huset efter [-22.00-]{+23.00+} på vardagar."


def test_a_time_is_one_word_and_brackets_around_it_are_marked_apart():
    segments = word_segments("mellan [22.00] och [07.00] på", "mellan 23.00 och 07.00 på")
    assert marked(segments) == "mellan [-[22.00]-]{+23.00+} och [-[-]07.00[-]-] på"


def test_words_with_å_ä_ö_are_whole_words():
    segments = word_segments("Gäster får sova två nätter.", "Gäster får sova tre nätter i rad.")
    assert marked(segments) == "Gäster får sova [-två-]{+tre+} nätter{+ i rad+}."
    segments = word_segments("Töm diskmaskinen.", "Töm kylskåpet och diskmaskinen.")
    assert marked(segments) == "Töm{+ kylskåpet och+} diskmaskinen."


def test_a_markdown_list_item_added_and_one_changed():
    old = "## Städning\n\n- Köket lämnas rent.\n- Soporna sorteras.\n"
    new = "## Städning\n\n- Köket lämnas rent och torrt.\n- Soporna sorteras.\n- Pant i korgen.\n"
    rows = word_diff(old, new)
    kinds = [row.kind for row in rows]
    assert kinds == ["same", "same", "changed", "same", "added"]
    assert marked(rows[2].segments) == "- Köket lämnas rent{+ och torrt+}."
    assert rows[4].text == "- Pant i korgen."


def test_a_removed_list_item_is_a_removed_row():
    rows = word_diff("- Ett\n- Två\n- Tre\n", "- Ett\n- Tre\n")
    assert [(row.kind, row.text) for row in rows] == [
        ("same", "- Ett"),
        ("removed", "- Två"),
        ("same", "- Tre"),
    ]


def test_an_unrelated_replacement_is_removed_then_added_not_a_word_soup():
    rows = word_diff("Tyst efter 22 på vardagar.\n", "Grillen står i förrådet.\n")
    assert [row.kind for row in rows] == ["removed", "added"]


def test_far_unchanged_lines_are_folded_and_there_are_no_hunk_headers():
    old = "\n".join(f"Rad {n}." for n in range(1, 21)) + "\n"
    new = old.replace("Rad 10.", "Rad tio.")
    rows = word_diff(old, new, context=2)
    assert rows[0] == DiffRow("skipped", skipped=7)
    assert [row.kind for row in rows[1:6]] == ["same", "same", "changed", "same", "same"]
    assert rows[-1] == DiffRow("skipped", skipped=8)
    assert not any("@@" in row.text for row in rows)


def test_equal_texts_have_no_diff_and_counts_words():
    assert word_diff("Samma.\n", "Samma.\n") == []
    rows = word_diff("Tyst efter 22.\n", "Tyst efter 23 på helger.\n")
    stats = diff_stats(rows)
    assert (stats.added_words, stats.removed_words) == (3, 1)
