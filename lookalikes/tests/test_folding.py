"""Folding names and handles (lookalikes/folding.py)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lookalikes import folding
from lookalikes.profiles import Found, Official
from lookalikes.scoring import score


@pytest.mark.parametrize(
    "a, b",
    [
        ("Uppsala", "Uppsаla"),  # Cyrillic а
        ("uppsala", "UPPSALA"),
        ("kth", "ＫＴＨ"),  # full width
        ("uppsala", "𝐔𝐩𝐩𝐬𝐚𝐥𝐚"),  # mathematical bold
        ("uppsala", "upps4la"),
        ("lund", "1und"),
        ("official", "0fficial"),
        ("Ikea", "lkea"),
    ],
)
def test_look_alikes_fold_to_the_same_words(a, b):
    assert folding.tokens(a) == folding.tokens(b)


@pytest.mark.parametrize(
    "a, b",
    [("Göteborg", "Goteborg"), ("Umeå", "Umea"), ("Malmö", "Malmo"), ("Växjö", "Vaxjo")],
)
def test_swedish_letters_keep_their_marks(a, b):
    assert folding.tokens(a) != folding.tokens(b)


def test_numbers_alone_are_not_letters():
    assert folding.tokens("2024") != folding.tokens("zoza")


@pytest.mark.parametrize(
    "handle, words",
    [
        ("@uppsala_uni@mastodon.social", ("uppsala", "unl")),
        ("uppsalauni.bsky.social", ("uppsalaunl",)),
        ("news.uu.se", ("news", "uu")),
        ("@UU-Library", ("uu", "llbrary")),
        ("", ()),
    ],
)
def test_handle_words_drop_server_domain_and_separators(handle, words):
    assert tuple(f for f, _ in folding.handle_words(handle)) == words


def test_noise_affixes_are_stripped_from_one_piece_handles():
    assert folding.strip_noise_affixes("uppsalaofflclal") == ("uppsala", True)
    assert folding.strip_noise_affixes("news") == ("news", False)


OFFICIAL = Official(
    channel_id=1,
    platform="bluesky",
    handle="uppsalauniversity.bsky.social",
    name="Uppsala University",
    url="https://bsky.app/profile/uppsalauniversity.bsky.social",
    organisation=("Uppsala University", "UU"),
)


@settings(max_examples=150, deadline=None)
@given(name=st.text(max_size=300), handle=st.text(max_size=100), bio=st.text(max_size=300))
def test_any_text_scores_between_0_and_1(name, handle, bio):
    found = Found("bluesky", "did:plc:x", handle, name, "https://bsky.app/x", bio=bio)

    result = score(found, OFFICIAL)

    assert 0.0 <= result.total <= 1.0
    assert all(0.0 <= value <= 1.0 for value in result.parts.values())
