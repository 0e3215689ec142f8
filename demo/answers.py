"""What a platform would have answered about a demo channel, so that the demo's latest
figures are collected as real ones are: the nightly collector (metrics.collector)
asks the real provider, which reads these answers, and stores what it read.

Only Mastodon answers: its provider needs no key or token (the university runs its own
server), so a running portal collects those channels with no set-up. The answers have
the shape of the recorded ones (metrics/tests/recorded/mastodon/ok.json); the figures
are those of the channel's story in demo/metrics.py, as they stood when the collector
asked (03:15 on the day).
"""

import json

import httpx


def mastodon_client(channel, posts, snapshot):
    """An httpx client answering for ``channel`` on ``snapshot``'s day: WebFinger's link
    to its account, the account (followers, posts, day of the latest post) and its
    latest 40 posts before that day, newest first, each with its favourites, replies and
    boosts. ``posts`` are the story's (when, likes, comments, shares, views)."""
    user = channel.handle.partition("@")[0]
    before = [post for post in posts if post[0].date() < snapshot.date][-40:]
    account = {
        "id": str(100_000 + channel.pk),
        "username": user,
        "acct": user,
        "display_name": channel.name,
        "locked": False,
        "bot": False,
        "url": channel.profile_url,
        "followers_count": snapshot.followers,
        "following_count": 100,
        "statuses_count": snapshot.posts,
        "last_status_at": before[-1][0].date().isoformat() if before else None,
    }
    statuses = [
        {
            "id": str(int(when.timestamp() * 1000)),
            "created_at": when.isoformat().replace("+00:00", "Z"),
            "visibility": "public",
            "url": f"{channel.profile_url}/{int(when.timestamp())}",
            "replies_count": comments,
            "reblogs_count": shares,
            "favourites_count": likes,
            "content": "<p>News from the department.</p>",
        }
        for when, likes, comments, shares, _views in reversed(before)
    ]

    server = channel.handle.partition("@")[2]
    webfinger = {
        "subject": f"acct:{channel.handle}",
        "links": [
            {
                "rel": "self",
                "type": "application/activity+json",
                "href": f"https://{server}/users/{user}",
            }
        ],
    }

    def answer(request):
        if request.url.path == "/.well-known/webfinger":
            body = webfinger
        elif request.url.path == "/api/v1/accounts/lookup":
            body = account
        elif request.url.path == f"/api/v1/accounts/{account['id']}/statuses":
            body = statuses
        else:
            return httpx.Response(404, json={"error": "Record not found"})
        return httpx.Response(
            200,
            headers={"content-type": "application/json; charset=utf-8"},
            content=json.dumps(body).encode(),
        )

    return httpx.Client(transport=httpx.MockTransport(answer))
