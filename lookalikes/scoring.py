"""How much a found account looks like an official one: a ``Score`` from 0 to 1 with
its parts, so the office sees why a candidate was put in front of them.

This first version compares names and handles after Unicode normalisation; the full
scoring (confusable folding, organisation names in the bio, avatars, account age) and
its benchmark replace it.
"""

import difflib
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings

from lookalikes.profiles import Found, Official


@dataclass(frozen=True)
class Score:
    #: 0 (nothing alike) to 1 (indistinguishable).
    total: float
    official: Official
    #: Each part's name and its value from 0 to 1 (what the office sees as evidence).
    parts: dict = field(default_factory=dict)


def threshold():
    """Candidates scoring at least this go to the office's triage queue."""
    return settings.LOOKALIKES_THRESHOLD


def _folded(text):
    return unicodedata.normalize("NFKC", text or "").casefold().strip().removeprefix("@")


def _alike(a, b):
    a, b = _folded(a), _folded(b)
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def score(found: Found, official: Official) -> Score:
    parts = {
        "name": _alike(found.display_name, official.name),
        "handle": _alike(found.handle.split("@")[0], official.handle.split("@")[0]),
    }
    return Score(total=max(parts.values()), official=official, parts=parts)


def best(found: Found, officials) -> Score | None:
    """The official account ``found`` looks most like, scored; None for none."""
    scores = [score(found, official) for official in officials]
    return max(scores, key=lambda s: s.total, default=None)
