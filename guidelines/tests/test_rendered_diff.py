"""The difference between two versions as the reader sees them (guidelines/markdown.py:
rendered_diff): blocks of rendered text, changed words in <del> and <ins>."""

from guidelines.markdown import rendered_diff, text_blocks


def test_blocks_are_the_rendered_text_without_markdown_signs():
    text = "## Be kind\n\nAnswer **within** a [day](https://example.org).\n\n- one\n- *two*"
    assert text_blocks(text) == [
        ("heading", "Be kind"),
        ("paragraph", "Answer within a day."),
        ("item", "one"),
        ("item", "two"),
    ]


def test_a_changed_paragraph_marks_the_changed_words():
    (row,) = rendered_diff("Answer within a day.", "Answer within **two hours**.")
    assert row == {
        "change": "changed",
        "kind": "paragraph",
        "html": "Answer within <del>a day</del><ins>two hours</ins>.",
    }


def test_formatting_alone_is_no_change():
    assert [row["change"] for row in rendered_diff("Be *kind*.", "Be **kind**.")] == ["same"]


def test_added_and_removed_blocks_are_whole():
    rows = rendered_diff("## A\n\nKeep.\n\nGone.", "## A\n\nKeep.")
    assert [(row["change"], str(row["html"])) for row in rows] == [
        ("same", "A"),
        ("same", "Keep."),
        ("removed", "<del>Gone.</del>"),
    ]
    rows = rendered_diff("Keep.", "Keep.\n\n- new item")
    assert [(row["change"], row["kind"], str(row["html"])) for row in rows] == [
        ("same", "paragraph", "Keep."),
        ("added", "item", "<ins>new item</ins>"),
    ]


def test_every_text_is_escaped():
    rows = rendered_diff("Hello.", "Hello <b>&amp;</b> <script>x</script>.")
    html = "".join(str(row["html"]) for row in rows)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
