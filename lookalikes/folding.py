"""Folding names and handles into keys that look-alikes share.

Two strings that a reader could mistake for each other should fold to the same key, or
to keys a few edits apart; the scoring (lookalikes/scoring.py) compares the keys.

- ``skeleton(text)`` is Unicode TR39's skeleton: decompose (NFD), replace each
  character by the prototype of its confusable class, decompose again. Cyrillic "а"
  becomes Latin "a", "0" becomes "O", "1", "I" and "|" become "l", "m" becomes "rn".
  The confusables data comes from the confusable-homoglyphs package (Unicode's
  confusables.txt, kept as a symmetric table there; ``_prototypes`` turns it back into
  the standard's one-way mapping).
- ``tokens(text)`` folds a name into words: NFKC, split on anything but letters and
  digits (so emoji and punctuation go), then per word the skeleton of the word, case
  folded, the skeleton again (for lower-case look-alikes), digits standing for letters
  in a word that also has letters ("upps4la"), and "i" written as "l" (TR39 folds "I"
  to "l" but leaves "i", so after case folding they must meet).
- Diacritics stay: "ö" is "o" with a combining diaeresis, which TR39 keeps apart from
  "o", so "Göteborg" and "Goteborg" are two keys one edit apart (alike, but not a
  homoglyph).

Input is cut at ``MAX_LENGTH`` characters (bios at ``MAX_BIO_LENGTH``), so a hostile
name cannot make the comparison slow.
"""

import functools
import re
import unicodedata

MAX_LENGTH = 200
MAX_BIO_LENGTH = 1000

#: Words an imitation adds to look official ("Uppsala University Official",
#: "kth_news"). They are left out when names and handles are compared, and a found
#: account that uses one the official does not is a mild signal. Compared folded, so
#: "0fficial" is "official" too. Kept short on purpose: every word here is one a real
#: name may also contain.
NOISE_WORDS = (
    "official", "officiell", "officiella", "officiellt", "real", "news", "nyheter",
    "team", "hq", "info", "updates", "support", "sverige", "sweden",
)  # fmt: skip

#: Digits (and signs) standing for letters, in a word that also has letters. "0" and
#: "1" are TR39's own ("O" and "l"), so they are not here.
_DIGITS_FOR_LETTERS = str.maketrans(
    {"3": "e", "4": "a", "5": "s", "6": "b", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s"}
)
_WORD = re.compile(r"[^\W_]+|[@$]")
_MARKS = str.maketrans("", "", "\u200e\u200f")


@functools.cache
def _prototypes():
    """The TR39 mapping {code point: prototype} as a str.translate table.

    The package keeps each line "source → prototype" of confusables.txt in both
    directions. A source is never a prototype (the standard's mapping is idempotent),
    so a character with one entry whose entry has several is a source, and a
    character with several entries is a prototype. Where two characters only name each
    other the direction is lost; both then map to the lower code point, which keeps
    them in one class, all a skeleton is compared for.
    """
    # Imported here: the package reads its 900 kB table on import, which only the
    # scoring needs, not every process that loads the app.
    from confusable_homoglyphs.confusables import confusables_data

    table = {}
    for key, entries in confusables_data.items():
        table.setdefault(key.translate(_MARKS), set()).update(
            entry["c"].translate(_MARKS) for entry in entries
        )
    mapping = {}
    for char, entries in table.items():
        # Only characters that survive NFD are ever looked up (the skeleton decomposes
        # first); a precomposed letter such as "ö" is never a key.
        if len(char) != 1 or len(entries) != 1 or unicodedata.normalize("NFD", char) != char:
            continue
        (target,) = entries
        if len(target) > 1 or len(table.get(target, ())) > 1 or ord(char) > ord(target):
            mapping[ord(char)] = target
    return mapping


def skeleton(text):
    """Unicode TR39's skeleton of ``text``."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", decomposed.translate(_prototypes()))


def _fold_word(word):
    leet = any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
    word = skeleton(skeleton(word).casefold())
    if leet:
        word = word.translate(_DIGITS_FOR_LETTERS)
    return word.replace("i", "l")


def pairs(text, limit=MAX_LENGTH):
    """Each word of ``text`` folded (see ``tokens``) and plain (NFKC, case folded,
    decomposed, no confusable folding: what the eye calls different is still
    different), as (folded, plain) pairs."""
    text = unicodedata.normalize("NFKC", (text or "")[:limit])
    return tuple(
        (folded, unicodedata.normalize("NFD", word.casefold()))
        for word in _WORD.findall(text)
        if (folded := _fold_word(word))
    )


def tokens(text, limit=MAX_LENGTH):
    """The folded words of ``text``: look-alikes get the same words."""
    return tuple(folded for folded, _ in pairs(text, limit))


@functools.cache
def noise_words():
    return frozenset(_fold_word(word) for word in NOISE_WORDS)


def without_noise(words):
    """``words`` (folded, plain) pairs without the noise words, and whether there
    were any (all of them are kept if nothing else is left)."""
    noise = noise_words()
    kept = tuple(pair for pair in words if pair[0] not in noise)
    if not kept:
        return tuple(words), False
    return kept, len(kept) != len(words)


def handle_words(handle):
    """A handle's local part as (folded, plain) words: without "@", a Mastodon
    server, ".bsky.social" or a custom domain's top-level label; split where it has
    separators."""
    handle = (handle or "")[:MAX_LENGTH].strip().lstrip("@")
    handle = handle.split("@")[0]
    handle = handle.removesuffix(".bsky.social")
    labels = handle.split(".")
    if len(labels) > 1:
        labels = labels[:-1]
    return pairs(" ".join(labels))


def strip_noise_affixes(compact, words=None, *, to_empty=False):
    """A handle written in one piece ("uppsalaofficial") without the noise words
    (folded; or ``words``) at its start or end, longest first; and whether there were
    any. At least 3 characters are left, unless ``to_empty`` lets all go."""
    words = sorted(noise_words() if words is None else words, key=lambda w: (-len(w), w))
    found = False
    changed = True
    while changed:
        changed = False
        for word in words:
            rest = len(compact) - len(word)
            if not (rest >= 3 or (to_empty and rest == 0)):
                continue
            if compact.endswith(word):
                compact, found, changed = compact[: -len(word)], True, True
            elif compact.startswith(word):
                compact, found, changed = compact[len(word) :], True, True
    return compact, found
