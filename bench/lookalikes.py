"""How long does scoring 200,000 found accounts against 2,000 official ones take?

A standalone script, not a test (see bench/README.md, "Look-alike scoring"):

    .venv/bin/python bench/lookalikes.py [--officials 2000] [--candidates 200000]

It needs no database. It makes a registry of --officials channels of one university
(units' names in English and Swedish, handles as units write them) and streams
--candidates found accounts: most unrelated (people, shops, clubs, other universities'
units, other organisations of the same town), a share of generated look-alikes of a
known official (homoglyphs, digits for letters, added words, swapped words, another
separator in the handle, a letter left out, a homoglyph in the name with another
handle) and a few of the officials' own accounts. It scores each with
``lookalikes.scoring.Scorer.best`` and prints the time, candidates per second, the peak
memory of the process, and recall and precision at the threshold against the known
answers, per kind of account.
"""

import argparse
import datetime
import os
import platform as python_platform
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORGANISATION = ("Uppsala University", "Uppsala universitet", "UU")
PLATFORMS = ["bluesky", "mastodon", "instagram", "youtube", "facebook", "linkedin", "x"]
SUBJECTS = [
    ("Physics", "fysik"), ("Chemistry", "kemi"), ("Biology", "biologi"),
    ("Mathematics", "matematik"), ("History", "historia"), ("Law", "juridik"),
    ("Medicine", "medicin"), ("Economics", "nationalekonomi"), ("Linguistics", "lingvistik"),
    ("Philosophy", "filosofi"), ("Psychology", "psykologi"), ("Sociology", "sociologi"),
    ("Geology", "geologi"), ("Statistics", "statistik"), ("Pharmacy", "farmaci"),
    ("Theology", "teologi"), ("Education", "pedagogik"), ("Music", "musikvetenskap"),
    ("Art History", "konstvetenskap"), ("Computer Science", "datavetenskap"),
    ("Engineering Sciences", "teknikvetenskaper"), ("Earth Sciences", "geovetenskaper"),
    ("Archaeology", "arkeologi"), ("Business Studies", "företagsekonomi"),
    ("Government", "statsvetenskap"),
    ("Peace and Conflict Research", "freds- och konfliktforskning"),
    ("Nordic Languages", "nordiska språk"), ("Public Health", "folkhälsa"),
    ("Surgical Sciences", "kirurgiska vetenskaper"), ("Women's Health", "kvinnors hälsa"),
    ("Ecology", "ekologi"), ("Genetics", "genetik"), ("Immunology", "immunologi"),
    ("Astronomy", "astronomi"), ("Information Technology", "informationsteknologi"),
    ("Cultural Anthropology", "kulturantropologi"), ("Human Geography", "kulturgeografi"),
    ("Game Design", "speldesign"), ("Pharmaceutical Biosciences", "farmaceutisk biovetenskap"),
    ("Social Work", "socialt arbete"),
]  # fmt: skip
TOPICS = [
    ("News", "nyheter"), ("Research", "forskning"), ("Students", "studenter"),
    ("Alumni", "alumner"), ("Events", "evenemang"), ("Careers", "karriär"),
    ("PhD", "forskarutbildning"), ("Outreach", "samverkan"), ("International", "internationellt"),
    ("Library", "bibliotek"), ("Press", "press"), ("Jobs", "jobb"), ("Podcast", "podd"),
    ("Seminars", "seminarier"), ("Labs", "labb"),
]  # fmt: skip
FIRST = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Emma", "Per",
    "Linnea", "Oskar", "Elin", "Nils", "Ida", "Gustav", "Maja", "Axel", "Alice", "Hugo",
    "Fatima", "Ahmed", "Yusuf", "Mei", "Priya", "John", "Olga", "Mikko", "Sofia", "Leo",
]  # fmt: skip
LAST = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Lindqvist", "Berg", "Lundgren", "Ek", "Holm",
    "Smith", "Khan", "Nguyen", "Virtanen", "Müller", "Öberg", "Åkesson", "Ström", "Wallin",
]  # fmt: skip
TOWNS = ["Uppsala", "Lund", "Umeå", "Göteborg", "Stockholm", "Linköping", "Örebro", "Växjö"]
THINGS = [
    "kommun", "Basket", "FC", "Bageri", "Pizzeria", "Kiosk", "Konsthall", "Tandvård",
    "Taxi", "Bibliotek", "Studentkår", "Nation", "Innebandy", "Bokhandel", "Fastigheter",
    "Nyheter", "Photography", "Runners", "Choir", "Makerspace",
]  # fmt: skip
OTHER_UNIVERSITIES = [
    "Lund University", "Stockholm University", "Umeå University", "Linköping University",
    "Lunds universitet", "Stockholms universitet", "Örebro universitet", "Malmö University",
]  # fmt: skip
WORDS = [
    "sunny", "coffee", "travel", "daily", "garden", "pixel", "north", "cloud", "forest",
    "music", "lover", "gamer", "books", "vintage", "design", "studio", "crafts", "yoga",
]  # fmt: skip
# Look-alike letters: Cyrillic for Latin, as impostors use them.
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і", "y": "у", "x": "х"}
LEET = {"a": "4", "e": "3", "o": "0", "i": "1", "l": "1", "s": "5", "t": "7"}
LOOKALIKE_KINDS = {
    "homoglyph", "digits", "added word", "swapped words", "separators", "typo", "name only"
}  # fmt: skip
ADDED = ["Official", "official", "News", "Team", "HQ", "Officiell", "Nyheter", "Info"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officials", type=int, default=2_000, help="default: 2000")
    parser.add_argument("--candidates", type=int, default=200_000, help="default: 200000")
    parser.add_argument(
        "--lookalikes", type=float, default=0.05, help="share of look-alikes (0.05)"
    )
    parser.add_argument("--seed", type=int, default=20, help="random seed (20)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from lookalikes.scoring import Scorer, threshold

    # Seeded for figures that can be reproduced: it makes names, not secrets.
    rnd = random.Random(args.seed)  # nosec B311
    now = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    officials = make_officials(rnd, args.officials)
    rss_before = peak_rss_mb()

    started = time.perf_counter()
    scorer = Scorer(officials, now=now)
    folded_in = time.perf_counter() - started

    counts = Counter()
    started = time.perf_counter()
    cpu_started = time.process_time()
    for found, kind, expected in candidates(rnd, officials, args.candidates, args.lookalikes, now):
        result = scorer.best(found)
        flagged = result is not None and result.total >= threshold()
        counts[kind, "all"] += 1
        if kind == "itself":
            counts[kind, "right"] += bool(result and result.same_account)
            continue
        if flagged:
            counts[kind, "flagged"] += 1
            # Right: the official it imitates, or one it looks exactly as much like
            # (the registry has near twins: "UU Physics News" and "UU Physics Team"
            # are one name without the noise words).
            if expected is not None and (
                result.official == expected or scorer.score(found, expected).total >= result.total
            ):
                counts[kind, "right"] += 1
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started

    report(args, counts, folded_in, elapsed, cpu, rss_before)
    return 0


def make_officials(rnd, count):
    """``count`` channels of one university with distinct names, each unit with one
    name (English or Swedish)."""
    from lookalikes.profiles import Official

    units = {
        subject: rnd.choice([f"Department of {subject[0]}", f"Institutionen för {subject[1]}"])
        for subject in SUBJECTS
    }
    patterns = [
        lambda s, t: (f"{s[0]} at Uppsala University", f"uu_{s[0]}"),
        lambda s, t: (f"Department of {s[0]}, Uppsala University", f"{s[0]}_uu"),
        lambda s, t: (f"Institutionen för {s[1]} vid Uppsala universitet", f"uu.{s[1]}"),
        lambda s, t: (f"UU {s[0]} {t[0]}", f"uu{s[0]}{t[0]}"),
        lambda s, t: (f"{s[1].capitalize()} {t[1]} – Uppsala universitet", f"{s[1]}{t[1]}uu"),
        lambda s, t: (f"Uppsala {s[0]} {t[0]}", f"uppsala_{s[0]}_{t[0]}"),
        lambda s, t: (f"{s[0]} {t[0]} at UU", f"{s[0]}_{t[0]}_uu"),
    ]
    combinations = sorted(
        {
            (pattern(subject, topic), subject)
            for pattern in patterns
            for subject in SUBJECTS
            for topic in TOPICS
        }
    )
    rnd.shuffle(combinations)
    if count > len(combinations):
        sys.exit(f"At most {len(combinations):,} officials: that many distinct names.")
    officials = []
    for (name, handle), subject in combinations[:count]:
        handle = "".join(c for c in handle.lower().replace(" ", "") if c.isalnum() or c in "._")
        platform = rnd.choice(PLATFORMS)
        number = len(officials) + 1
        officials.append(
            Official(
                channel_id=number,
                platform=platform,
                handle=handle,
                name=name,
                url=f"https://{platform}.example/{handle}",
                unit=units[subject],
                organisation=ORGANISATION,
                account_id=f"{platform}-{number}",
            )
        )
    # The central channels.
    officials[0] = Official(
        channel_id=1,
        platform="bluesky",
        handle="uppsalauniversity.bsky.social",
        name="Uppsala University",
        url="https://bsky.app/profile/uppsalauniversity.bsky.social",
        unit="Communications Office",
        organisation=ORGANISATION,
        account_id="did:plc:uu",
    )
    return officials


def candidates(rnd, officials, count, share, now):
    """(found, kind, the official it imitates or None), one at a time."""
    from lookalikes.profiles import Found

    def added(o):
        return f"{o.name} {rnd.choice(ADDED)}", f"{o.handle}_{rnd.choice(ADDED).lower()}"

    def homoglyph(o):
        return swap(rnd, o.name, HOMOGLYPHS, 2), swap(rnd, o.handle, HOMOGLYPHS, 1)

    def swapped(o):
        return " ".join(reversed(o.name.split())), o.handle.replace("_", "-")

    def typo(o):
        return drop_letter(rnd, o.name), drop_letter(rnd, o.handle)

    def name_only(o):
        # A homoglyph in the display name, the handle the platform had free.
        return swap(rnd, o.name, HOMOGLYPHS, 1), f"{rnd.choice(WORDS)}{rnd.randint(1, 999)}"

    makers = [
        ("typo", typo),
        ("name only", name_only),
        ("homoglyph", homoglyph),
        ("digits", lambda o: (swap(rnd, o.name, LEET, 2), swap(rnd, o.handle, LEET, 2))),
        ("added word", added),
        ("swapped words", swapped),
        ("separators", lambda o: (o.name.upper(), o.handle.replace("_", "-") + "x")),
    ]  # fmt: skip
    for number in range(count):
        draw = rnd.random()
        created = now - datetime.timedelta(days=rnd.randint(1, 3000))
        if draw < share:
            official = rnd.choice(officials)
            kind, make = rnd.choice(makers)
            name, handle = make(official)
            yield found(Found, number, name, handle, created), kind, official
        elif draw < share + 0.005:
            official = rnd.choice(officials)
            yield (
                Found(
                    official.platform,
                    official.account_id,
                    official.handle,
                    official.name,
                    official.url,
                    created_at=created,
                ),
                "itself",
                official,
            )
        else:
            kind, name, handle = unrelated(rnd)
            yield found(Found, number, name, handle, created), kind, None


def unrelated(rnd):
    draw = rnd.random()
    if draw < 0.5:
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        return "person", f"{first} {last}", f"{first}{last}{rnd.randint(1, 99)}".lower()
    if draw < 0.7:
        word, other = rnd.choice(WORDS), rnd.choice(WORDS)
        return "unrelated", f"{word.title()} {other.title()}", f"{word}_{other}"
    if draw < 0.85:
        town, thing = rnd.choice(TOWNS), rnd.choice(THINGS)
        return "same town", f"{town} {thing}", f"{town}{thing}".lower()
    university = rnd.choice(OTHER_UNIVERSITIES)
    subject = rnd.choice(SUBJECTS)[0]
    return "other university", f"{subject} at {university}", f"{subject}_{university}".lower()


def found(cls, number, name, handle, created):
    handle = handle.replace(" ", "")
    return cls(
        platform="bluesky",
        account_id=f"did:plc:bench{number}",
        handle=f"{handle}.bsky.social",
        display_name=name,
        url=f"https://bsky.app/profile/{handle}.bsky.social",
        created_at=created,
    )


def swap(rnd, text, table, times):
    """``text`` with up to ``times`` of its letters replaced by their look-alike."""
    places = [i for i, c in enumerate(text) if c.lower() in table]
    chars = list(text)
    for i in rnd.sample(places, min(times, len(places))):
        chars[i] = table[chars[i].lower()]
    return "".join(chars)


def drop_letter(rnd, text):
    """``text`` without one of its letters."""
    places = [i for i, c in enumerate(text) if c.isalpha()]
    if not places:
        return text
    i = rnd.choice(places)
    return text[:i] + text[i + 1 :]


def peak_rss_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(args, counts, folded_in, elapsed, cpu, rss_before):
    kinds = sorted({kind for kind, _ in counts})
    total = sum(counts[kind, "all"] for kind in kinds)
    all_flagged = sum(counts[kind, "flagged"] for kind in kinds)
    print(
        f"Python {python_platform.python_version()}, {os.cpu_count()} cores, "
        f"{args.officials:,} officials, {total:,} candidates, seed {args.seed}"
    )
    print(f"Folding the officials: {folded_in:.2f} s")
    print(f"Scoring: {elapsed:.1f} s, {total / elapsed:,.0f} candidates/s")
    # On a shared machine the wall time includes waiting for a core: the CPU time
    # (one core: the scoring is single-threaded) is the cost of the work itself.
    print(f"CPU time: {cpu:.1f} s, {total / cpu:,.0f} candidates per CPU second")
    print(f"Peak memory (RSS): {peak_rss_mb():.0f} MB ({rss_before:.0f} MB before scoring)")
    print()
    flagged_lookalikes = right = lookalikes = 0
    print(f"{'kind':18} {'count':>8} {'flagged':>8} {'right official':>15}")
    for kind in kinds:
        n, flagged, right_kind = (counts[kind, k] for k in ("all", "flagged", "right"))
        print(f"{kind:18} {n:8,} {flagged:8,} {right_kind:15,}")
        if kind in LOOKALIKE_KINDS:
            lookalikes += n
            flagged_lookalikes += flagged
            right += right_kind
    if lookalikes and all_flagged:
        print()
        print(f"Recall: {flagged_lookalikes / lookalikes:.3f} of the look-alikes flagged,")
        print(f"        {right / lookalikes:.3f} flagged with the official they imitate")
        print(f"Precision: {flagged_lookalikes / all_flagged:.3f} of the flagged are look-alikes")


if __name__ == "__main__":
    sys.exit(main())
