"""The impersonation watch's demo: today's Bluesky searches, run by the real job's code
(lookalikes/watch.py) through the real search client, with the AppView's answers
invented here in the lexicon's shape (app.bsky.actor.searchActors).

Every query finds the same three accounts: a copy of the university's name with a
Cyrillic "і" and "official" in its handle, made a fortnight ago and labelled by
Bluesky as an impersonation; a "news" account named like the Department of Computer
Science's registered one, which the office may find is the department's own,
unregistered; and a genuine account of another university. The scoring puts the first
two in the office's triage queue and leaves the third out. The searches of the day are
recorded, so a second run the same day searches nothing, and an account already in the
queue never makes a second report.
"""

import datetime
import json

import httpx
from django.test import override_settings
from django.utils import timezone

from lookalikes import watch
from lookalikes.models import SearchRecord
from lookalikes.search.bluesky import BlueskySearch
from metrics import limiter


def _actor(did, handle, name, description, created, labels=()):
    return {
        "did": did,
        "handle": handle,
        "displayName": name,
        "description": description,
        "indexedAt": created,
        "createdAt": created,
        "labels": [
            {
                "src": "did:plc:ar7c4by46qjdydhdevvrndac",
                "uri": did,
                "val": label,
                "cts": created,
            }
            for label in labels
        ],
    }


def actors(today):
    fortnight = (today - datetime.timedelta(days=14)).isoformat() + "T09:30:00.000Z"
    return [
        _actor(
            "did:plc:demoimpostor234567abcdefg",
            "fictional-university-official.bsky.social",
            "Fictional Unіversity",  # a Cyrillic і
            "Official news of Fictional University. DM us about admissions and grants.",
            fortnight,
            labels=["impersonation"],
        ),
        _actor(
            "did:plc:democsnews234567abcdefghi",
            "compsci-news-fu.bsky.social",
            "Department of Computer Science News",
            "Seminars and news from the Department of Computer Science, Fictional University.",
            "2025-03-02T10:00:00.000Z",
        ),
        _actor(
            "did:plc:demoother234567abcdefghij",
            "lakeside.edu",
            "Lakeside University",
            "Teaching and research by the lake.",
            "2023-08-01T10:00:00.000Z",
        ),
    ]


def client(today):
    body = json.dumps({"actors": actors(today)}).encode()

    def answer(request):
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return httpx.Client(transport=httpx.MockTransport(answer))


def seed(today=None):
    """Run today's Bluesky searches as the job would; how many searches ran."""
    today = today or timezone.localdate()
    search = BlueskySearch(client=client(today))
    pairs = [(search.name, search.platform, q) for q in watch.queries({"bluesky"})["bluesky"]]
    ran = 0
    # The answers come from memory: no server's limits to respect.
    with override_settings(METRICS_RATE_LIMITS={"default": 1000.0}), limiter.private():
        for pk in SearchRecord.objects.prepare(today, pairs).values_list("pk", flat=True):
            record = SearchRecord.start(pk)
            if record is not None:
                watch.finish(record, watch.run(search, record))
                ran += 1
    return ran
