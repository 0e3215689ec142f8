"""Every part of a look-alike's score has words on the triage page."""

from accounts.views.reports import SCORE_PARTS
from lookalikes.profiles import Found, Official
from lookalikes.scoring import Scorer


def test_every_part_the_scoring_gives_is_named_in_words():
    official = Official(
        channel_id=1,
        platform="bluesky",
        handle="library.example.edu",
        name="Uppsala University Library",
        url="https://bsky.app/profile/library.example.edu",
        organisation=("Uppsala University",),
    )
    found = Found(
        platform="bluesky",
        account_id="did:plc:someone",
        handle="uppsala-library-official.bsky.social",
        display_name="Uppsаla University Library",
        url="https://bsky.app/profile/uppsala-library-official.bsky.social",
    )
    score = Scorer([official], avatar=lambda found, official: 0.5).best(found)
    assert score is not None and score.parts
    assert set(score.parts) - set(SCORE_PARTS) == set()
