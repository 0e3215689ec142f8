"""How much a found account looks like an official one: a ``Score`` from 0 to 1 with
its parts, so the office sees why a candidate was put in front of them.

Names and handles are compared as folded words (lookalikes/folding.py: NFKC, case,
the Unicode TR39 confusable skeleton, digits for letters), without the noise words an
imitation adds ("official", "news", "team"...), with rapidfuzz's Indel similarity, in
the given and in sorted word order. The parts, each 0 to 1:

- ``name``: the found display name against the official's name (or its handle); 1 when
  the official's name is one of the organisation's names and the found one another
  ("UU Official" for "Uppsala University").
- ``handle``: the found handle against the official's handle (or its name in one piece).
  Both are the mean of the similarity of all the words and of the words that are not
  common (``GENERIC_NAME_WORDS``, the organisation's names, frequent words of the
  registry's names), so that "Lund University" is not half-way to "Uppsala University".
- ``confusable``: the folding made them alike (both at least 0.9 alike after it, and
  5 points more alike than before it): Cyrillic "а" for "a", "0" for "o", "upps4la".
- ``organisation``: one of the organisation's names or abbreviations (whole words) is
  in the display name or handle (1) or only in the bio (0.5).
- ``noise_word``: the found account uses a noise word the official does not.
- ``recent``: created less than ``RECENT_DAYS`` days ago.
- ``label``: the platform labelled it "impersonation" (Bluesky).
- ``avatar``: only when an ``avatar`` function is given (see ``Scorer``).
- ``other_unit``: the display name names registered units, none of them the official's
  or one its name names.
- ``organisation_missing``: the official's name or handle names the organisation, at
  least in part ("Uppsala Mathematics Alumni"), the found account does not, not even in
  part ("Mathematics at Lund University").

The total: ``alike = max(name, handle)``; the other signals are combined as a noisy-or,
``evidence = 1 - Π(1 - WEIGHTS[part] * part)``; ``total = alike + (1 - alike) * alike *
evidence``: the signals close part of the gap to 1, more so the more alike the names
already are, and never make an unlike name alike. Naming another registered unit
multiplies the total by ``OTHER_UNIT_FACTOR``: "Physics at Uppsala University" is not
an imitation of the university library's channel; not naming the organisation that the
official's name names multiplies it by ``ORGANISATION_MISSING_FACTOR``: "Physics at
Lund University" is not one of "Physics at Uppsala University".

An account that IS the official one (same platform, and the same account id, handle
or address) scores ``total=0`` with ``same_account=True`` and ``parts ==
{"is_official": 1.0}``: it never goes to the triage queue.

``Scorer(officials)`` folds the officials once and answers ``best(found)`` for many
found accounts: rapidfuzz's ``process.extract`` with a cut-off shortlists the few
officials worth the full comparison (bench/lookalikes.py: 2,000 officials, 200,000
candidates).
"""

import datetime
import functools
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from rapidfuzz import fuzz, process

from lookalikes import folding
from lookalikes.profiles import Found, Official

#: How much each signal adds (see the module's docstring for the formula).
WEIGHTS = {
    "confusable": 0.6,
    "organisation": 0.3,
    "noise_word": 0.2,
    "recent": 0.3,
    "label": 0.8,
    "avatar": 0.5,
}
#: The total is multiplied by this when the found name names another registered unit.
OTHER_UNIT_FACTOR = 0.6
#: The total is multiplied by this when the official's name names the organisation
#: and the found account does not (not in its name, handle or bio): "Physics at Lund
#: University" is not an imitation of "Physics at Uppsala University".
ORGANISATION_MISSING_FACTOR = 0.75
#: An account younger than this is "recent".
RECENT_DAYS = 90
#: Similarity (0 to 100) an official needs in the shortlist, and the shortlist's length
#: per comparison.
SHORTLIST_CUTOFF = 60
SHORTLIST_LIMIT = 5
#: Words that many organisations' names share ("Lund University" and "Uppsala
#: University" share "university"). With the organisation's own names and the words in
#: more than COMMON_SHARE of the registry's names (from COMMON_MIN_OFFICIALS officials
#: on), they are the common words: name and handle similarity is the mean of the
#: similarity with them and without them, so that what tells two names apart counts
#: ("Uppsala FC" is not "Uppsala Law News").
GENERIC_NAME_WORDS = (
    "university", "universitet", "universitetet", "college", "högskola", "högskolan",
    "school", "institute", "department", "institutionen", "of", "the", "at", "för",
    "vid", "i", "och", "and",
)  # fmt: skip
COMMON_SHARE = 0.02
COMMON_MIN_OFFICIALS = 50
#: Labels that say the platform found the account to be an impersonation.
IMPERSONATION_LABELS = frozenset({"impersonation"})
#: Words of a unit's name that do not tell one unit from another; a unit is named when
#: all its other words are (the organisation's own words do not count either).
GENERIC_UNIT_WORDS = (
    "department", "dept", "faculty", "school", "centre", "center", "institute",
    "office", "division", "unit", "of", "for", "and", "at", "the",
    "institutionen", "institution", "fakulteten", "fakultet", "centrum", "enheten",
    "avdelningen", "kansliet", "för", "och", "vid", "i",
)  # fmt: skip


@dataclass(frozen=True)
class Score:
    #: 0 (nothing alike) to 1 (indistinguishable).
    total: float
    official: Official
    #: Each part's name and its value from 0 to 1 (what the office sees as evidence).
    parts: dict = field(default_factory=dict)
    #: The found account is this official account itself (total 0).
    same_account: bool = False


def threshold():
    """Candidates scoring at least this go to the office's triage queue."""
    return settings.LOOKALIKES_THRESHOLD


def score(found: Found, official: Official) -> Score:
    """How much ``found`` looks like ``official`` (without the other registered units,
    ``other_unit`` is never set: use ``Scorer`` or ``best`` for that)."""
    scorer = Scorer([official])
    return scorer.compare(scorer.fold(found), scorer.folded[0])


def best(found: Found, officials) -> Score | None:
    """The official account ``found`` looks most like, scored; None when there are no
    officials or none is alike enough to be worth comparing (see ``Scorer``)."""
    return Scorer(officials).best(found)


def _sim(a, b):
    """Indel similarity from 0 to 1 of two keys, 0 when either is shorter than 2."""
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return fuzz.ratio(a, b) / 100


@dataclass
class _Words:
    """A name or a handle, folded, in the forms the comparisons need."""

    ordered: str = ""
    sorted: str = ""
    compact: str = ""
    plain_ordered: str = ""
    plain_sorted: str = ""
    plain_compact: str = ""
    #: The folded words without the noise words.
    words: tuple = ()
    #: Without the common words (``Scorer.common``), set by ``Scorer.distinguish``.
    distinct_sorted: str = ""
    distinct_compact: str = ""
    #: The folded words with the noise words (for the organisation and the units).
    all_words: tuple = ()
    noise: bool = False

    @classmethod
    def of_name(cls, text):
        pairs = folding.pairs(text)
        kept, noise = folding.without_noise(pairs)
        folded = [f for f, _ in kept]
        plain = [p for _, p in kept]
        return cls(
            words=tuple(folded),
            ordered=" ".join(folded),
            sorted=" ".join(sorted(folded)),
            compact="".join(folded),
            plain_ordered=" ".join(plain),
            plain_sorted=" ".join(sorted(plain)),
            plain_compact="".join(plain),
            all_words=tuple(f for f, _ in pairs),
            noise=noise,
        )

    @classmethod
    def of_handle(cls, handle):
        pairs = folding.handle_words(handle)
        kept, noise = folding.without_noise(pairs)
        compact, affix = folding.strip_noise_affixes("".join(f for f, _ in kept))
        plain, _ = folding.strip_noise_affixes(
            "".join(p for _, p in kept), frozenset(folding.NOISE_WORDS)
        )
        return cls(
            compact=compact,
            plain_compact=plain,
            all_words=tuple(f for f, _ in pairs),
            noise=noise or affix,
        )


@dataclass
class _Official:
    official: Official
    name: _Words
    handle: _Words
    #: The organisation's names, each as folded words.
    organisation: tuple
    #: The official's unit's distinctive words (empty: no unit, or none distinctive).
    unit: frozenset
    #: Whether the official's name or handle names the organisation.
    names_organisation: bool = False
    #: Its unit and the registered units its name names.
    named_units: frozenset = frozenset()
    #: Its name is one of the organisation's (the central channel, "Uppsala University").
    is_organisation: bool = False


@dataclass
class _Found:
    found: Found
    name: _Words
    handle: _Words
    bio: tuple
    #: The registered units (their distinctive words) the display name names.
    units: frozenset


def _handle_key(handle):
    return (handle or "").strip().lstrip("@").casefold()


def _url_key(url):
    url = (url or "").strip().casefold()
    url = url.removeprefix("https://").removeprefix("http://").removeprefix("www.")
    return url.rstrip("/")


class Scorer:
    """Scores found accounts against one registry's officials, folded once.

    ``avatar``, if given, is a function ``(found, official) -> float | None``: how alike
    the two avatars are (e.g. from perceptual hashes the caller keeps), or None when it
    cannot tell. It is the hook for avatars: neither record carries an image hash, and
    fetching images is the job's business, not the scoring's.
    """

    def __init__(self, officials, *, now=None, avatar=None):
        self.now = now or timezone.now()
        self.avatar = avatar
        organisations = {}
        self.folded = []
        for official in officials:
            org = official.organisation
            if org not in organisations:
                organisations[org] = tuple(words for name in org if (words := folding.tokens(name)))
            org_words = {w for words in organisations[org] for w in words}
            unit = frozenset(folding.tokens(official.unit)) - _generic() - org_words
            folded = _Official(
                official=official,
                name=_Words.of_name(official.name),
                handle=_Words.of_handle(official.handle),
                organisation=organisations[org],
                unit=unit,
            )
            itself = _Found(None, folded.name, folded.handle, bio=(), units=frozenset())
            folded.names_organisation = self._mentions_organisation(itself, folded)
            folded.is_organisation = _is_organisation(folded.name, folded)
            self.folded.append(folded)
        # The words that tell nothing apart here: the generic ones, the organisations'
        # and, in a registry large enough to tell, those in COMMON_SHARE of its names.
        common = set(_generic_names())
        common.update(w for org in organisations.values() for words in org for w in words)
        if len(self.folded) >= COMMON_MIN_OFFICIALS:
            counts = Counter(w for folded in self.folded for w in set(folded.name.words))
            common.update(w for w, n in counts.items() if n > COMMON_SHARE * len(self.folded))
        self.common = frozenset(common)
        self._common_long = sorted(w for w in common if len(w) >= 5)
        self._common_sorted = sorted(common, key=lambda w: (-len(w), w))
        self._is_common = {}
        for folded in self.folded:
            self.distinguish(folded.name, folded.handle)
        # The same account: by platform and account id, handle or address.
        self._same = {}
        for index, folded in enumerate(self.folded):
            o = folded.official
            for kind, value in (
                ("id", o.account_id),
                ("handle", _handle_key(o.handle)),
                ("url", _url_key(o.url)),
            ):
                if value:
                    self._same.setdefault((o.platform, kind, value), index)
        # The registered units, indexed by one of their words.
        self._units = {}
        for unit in {folded.unit for folded in self.folded if folded.unit}:
            self._units.setdefault(min(unit), set()).add(unit)
        for folded in self.folded:
            folded.named_units = self._named_units(folded.name.all_words) | {folded.unit}
        # The officials named as their organisation, by each of its names' sorted words.
        self._organisation_channels = {}
        for index, folded in enumerate(self.folded):
            if folded.is_organisation:
                for phrase in folded.organisation:
                    key = tuple(sorted(phrase))
                    self._organisation_channels.setdefault(key, []).append(index)
        # The shortlist's choices: each distinct key once, with the officials behind it.
        self._choices = {
            kind: _choices(self.folded, kind)
            for kind in ("name.sorted", "name.compact", "handle.compact")
        }

    def fold(self, found):
        name = _Words.of_name(found.display_name)
        handle = _Words.of_handle(found.handle)
        self.distinguish(name, handle)
        return _Found(
            found=found,
            name=name,
            handle=handle,
            bio=folding.tokens(found.bio, folding.MAX_BIO_LENGTH) if found.bio else (),
            units=self._named_units(name.all_words),
        )

    def distinguish(self, name, handle):
        """Set the name's and handle's words without the common words: a word is common
        when it is one of them or, from 5 letters on, about an edit away from one
        ("Upsala" is "Uppsala")."""
        distinct = [word for word in name.words if not self.is_common(word)]
        name.distinct_sorted = " ".join(sorted(distinct))
        name.distinct_compact = "".join(distinct)
        handle.distinct_compact, _ = folding.strip_noise_affixes(
            handle.compact, self._common_sorted, to_empty=True
        )

    def is_common(self, word):
        if word in self.common:
            return True
        if len(word) < 5:
            return False
        if (known := self._is_common.get(word)) is None:
            known = bool(
                process.extractOne(word, self._common_long, scorer=fuzz.ratio, score_cutoff=85)
            )
            if len(self._is_common) < 100_000:
                self._is_common[word] = known
        return known

    def _named_units(self, words):
        """The registered units (as their distinctive words) that ``words`` name."""
        words = set(words)
        return frozenset(
            unit for word in words for unit in self._units.get(word, ()) if unit <= words
        )

    def score(self, found: Found, official: Official) -> Score:
        """How much ``found`` looks like ``official``, one of this scorer's, knowing
        the other registered units."""
        folded = next((o for o in self.folded if o.official == official), None)
        if folded is None:
            raise ValueError(f"{official!r} is not one of this scorer's officials.")
        return self.compare(self.fold(found), folded)

    def same_account(self, found):
        """The index of the official that ``found`` is, or None."""
        for kind, value in (
            ("id", found.account_id),
            ("handle", _handle_key(found.handle)),
            ("url", _url_key(found.url)),
        ):
            if value and (index := self._same.get((found.platform, kind, value))) is not None:
                return index
        return None

    def shortlist(self, f):
        """The indexes of the officials alike enough to be compared in full."""
        indexes = set(self._organisation_channels.get(tuple(sorted(f.name.words)), ()))
        for query, kind in (
            (f.name.sorted, "name.sorted"),
            (f.handle.compact, "handle.compact"),
            (f.handle.compact, "name.compact"),
        ):
            keys, owners = self._choices[kind]
            if len(query) < 2 or not keys:
                continue
            for _key, _similarity, position in process.extract(
                query,
                keys,
                scorer=fuzz.ratio,
                score_cutoff=SHORTLIST_CUTOFF,
                limit=SHORTLIST_LIMIT,
            ):
                indexes.update(owners[position])
        return indexes

    def best(self, found: Found) -> Score | None:
        """The official ``found`` looks most like, scored; the official itself (total
        0, ``same_account``) when it is one; None when none is alike enough to
        compare."""
        if not self.folded:
            return None
        if (index := self.same_account(found)) is not None:
            return _itself(self.folded[index].official)
        f = self.fold(found)
        scores = [self.compare(f, self.folded[index]) for index in sorted(self.shortlist(f))]
        return max(scores, key=lambda s: s.total, default=None)

    def compare(self, f: _Found, o: _Official) -> Score:
        """The full comparison of one found account with one official."""
        found, official = f.found, o.official
        if self._is(found, official):
            return _itself(official)
        names = [
            (o.name.ordered, f.name.ordered, o.name.plain_ordered, f.name.plain_ordered),
            (o.name.sorted, f.name.sorted, o.name.plain_sorted, f.name.plain_sorted),
            (o.handle.compact, f.name.compact, o.handle.plain_compact, f.name.plain_compact),
        ]
        handles = [
            (o.handle.compact, f.handle.compact, o.handle.plain_compact, f.handle.plain_compact),
            (o.name.compact, f.handle.compact, o.name.plain_compact, f.handle.plain_compact),
        ]
        # Another of the organisation's names than the official's own ("UU Official"
        # for "Uppsala University") is as alike as the same name.
        same_organisation = o.is_organisation and _is_organisation(f.name, o)
        name = max(
            float(same_organisation),
            _mean(
                _sim(o.name.ordered, f.name.ordered), o.name.distinct_sorted, f.name.distinct_sorted
            ),
            _mean(
                _sim(o.name.sorted, f.name.sorted), o.name.distinct_sorted, f.name.distinct_sorted
            ),
            _mean(
                _sim(o.handle.compact, f.name.compact),
                o.handle.distinct_compact,
                f.name.distinct_compact,
            ),
        )
        handle = max(
            _mean(
                _sim(o.handle.compact, f.handle.compact),
                o.handle.distinct_compact,
                f.handle.distinct_compact,
            ),
            _mean(
                _sim(o.name.compact, f.handle.compact),
                o.name.distinct_compact,
                f.handle.distinct_compact,
            ),
        )
        confusable = any(
            (folded := _sim(a, b)) >= 0.9 and folded - _sim(pa, pb) >= 0.05
            for a, b, pa, pb in names + handles
        )
        parts = {
            "name": name,
            "handle": handle,
            "confusable": float(confusable),
            "organisation": self._organisation(f, o),
            "noise_word": float(
                (f.name.noise and not o.name.noise) or (f.handle.noise and not o.handle.noise)
            ),
            "recent": float(self._recent(found.created_at)),
            "label": float(any(label.casefold() in IMPERSONATION_LABELS for label in found.labels)),
        }
        if self.avatar is not None and (avatar := self.avatar(found, official)) is not None:
            parts["avatar"] = min(1.0, max(0.0, float(avatar)))
        alike = max(name, handle)
        remaining = 1.0
        for part, weight in WEIGHTS.items():
            remaining *= 1 - weight * parts.get(part, 0.0)
        total = alike + (1 - alike) * alike * (1 - remaining)
        other_unit = bool(f.units) and not f.units & o.named_units
        parts["other_unit"] = float(other_unit)
        if other_unit:
            total *= OTHER_UNIT_FACTOR
        # The official's name names the organisation, the found account nowhere does.
        unnamed = o.names_organisation and not self._mentions_organisation(f, o)
        parts["organisation_missing"] = float(unnamed)
        if unnamed:
            total *= ORGANISATION_MISSING_FACTOR
        return Score(
            total=round(total, 3),
            official=official,
            parts={key: round(value, 3) for key, value in parts.items()},
        )

    def _is(self, found, official):
        return found.platform == official.platform and any(
            a and a == b
            for a, b in (
                (found.account_id, official.account_id),
                (_handle_key(found.handle), _handle_key(official.handle)),
                (_url_key(found.url), _url_key(official.url)),
            )
        )

    def _organisation(self, f, o):
        """1 when the display name or the handle names the organisation, whole words
        in any order (or, for a name of 6 letters or more, one edit or so away), 0.5
        when only the bio does."""
        name = "".join(f.name.all_words)
        handle = "".join(f.handle.all_words)
        words = set(f.name.all_words)
        for phrase in o.organisation:
            if set(phrase) <= words:
                return 1.0
            if len(phrase) == 1 and phrase[0] in f.handle.all_words:
                return 1.0
            compact = "".join(phrase)
            if len(compact) >= 4 and compact in handle:
                return 1.0
            if len(compact) >= 6 and any(
                fuzz.partial_ratio(compact, text, score_cutoff=90) for text in (name, handle)
            ):
                return 1.0
        if any(set(phrase) <= set(f.bio) for phrase in o.organisation):
            return 0.5
        return 0.0

    def _mentions_organisation(self, f, o):
        """Whether the name, handle or bio names the organisation at least in part: one
        of its names, or a word of them that is not generic ("Uppsala" of "Uppsala
        University"; whole words, or in the handle from 4 letters on; from 5 letters on
        also with a letter more, less or changed: "Upsala")."""
        if self._organisation(f, o):
            return True
        words = set(f.name.all_words) | set(f.handle.all_words) | set(f.bio)
        handle = "".join(f.handle.all_words)
        for phrase in o.organisation:
            for key in phrase:
                if key in _generic_names():
                    continue
                if key in words or (len(key) >= 4 and key in handle):
                    return True
                if len(key) >= 5 and (
                    process.extractOne(key, words, scorer=fuzz.ratio, score_cutoff=85)
                    or fuzz.partial_ratio(key, handle, score_cutoff=85)
                ):
                    return True
        return False

    def _recent(self, created_at):
        if created_at is None:
            return False
        if timezone.is_naive(created_at):
            created_at = created_at.replace(tzinfo=datetime.UTC)
        return self.now - created_at < datetime.timedelta(days=RECENT_DAYS)


def _is_organisation(name, o):
    """Whether the words of ``name`` (without the noise words) are one of the names of
    ``o``'s organisation, in any order."""
    words = sorted(name.words)
    return bool(words) and any(words == sorted(phrase) for phrase in o.organisation)


def _itself(official):
    return Score(total=0.0, official=official, parts={"is_official": 1.0}, same_account=True)


def _mean(similarity, distinct, other):
    """The mean of ``similarity`` and the similarity of the distinct words (0 when one
    side has some and the other none); ``similarity`` when neither has any."""
    if not distinct and not other:
        return similarity
    return (similarity + _sim(distinct, other)) / 2


@functools.cache
def _generic_names():
    return frozenset(w for word in GENERIC_NAME_WORDS for w in folding.tokens(word))


@functools.cache
def _generic():
    return frozenset(w for word in GENERIC_UNIT_WORDS for w in folding.tokens(word))


def _choices(folded, kind):
    """The distinct keys of one kind, and for each the indexes of its officials."""
    attribute, form = kind.split(".")
    owners = {}
    for index, official in enumerate(folded):
        key = getattr(getattr(official, attribute), form)
        if len(key) >= 2:
            owners.setdefault(key, []).append(index)
    return list(owners), list(owners.values())
