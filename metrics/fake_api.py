"""A local HTTP server that answers like the platforms' public APIs, for the behaviour
tests and the benchmark (never used by the running portal).

It answers Mastodon, Bluesky, YouTube and X requests for any account with figures
derived from the account's name (so that a test can predict them), after an optional
latency; YouTube Analytics reports (``/v2/reports``) with figures derived from the
bearer token (``expected_analytics``). A Mastodon account whose name starts with
"busy" posted every two hours (``BUSY_POSTS`` posts, paged 40 at a time with ``Link``
headers, as servers do); an X user name starting with "gone" does not exist. It can be
told to misbehave on the next requests whose path and query contain a given text:
``429:<seconds>`` (with ``Retry-After``), ``500``, ``404``, ``401``, ``slow:<seconds>``
(then a normal answer), ``reset`` (close the connection unanswered), ``302`` (a
redirect elsewhere), ``huge`` (a normal answer padded past 1 MB). A Mastodon account's
profile fields are empty unless a test sets them: ``server.profile_fields[acct] = [...]``.
A YouTube channel asked for with ``part=snippet`` is titled with its name and has an
empty description unless a test sets it: ``server.youtube_descriptions[name] = "..."``.

Every request is logged (arrival time, platform, path, status), so a test can count
requests and measure the highest rate the server saw per platform.

Point the providers at it with ``METRICS_API_BASE_URL=<server.url>``.

Run it alone (for the benchmark): ``python -m metrics.fake_api --port 8900 --latency 0.1``.
"""

import argparse
import hashlib
import json
import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def figure(name, modulo, offset=0):
    """A stable number from an account name."""
    return offset + int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % modulo


def expected_followers(platform, name):
    """What the server answers as ``name``'s follower count on ``platform``."""
    return figure(f"{platform}:{name}", 100_000, 10)


def expected_analytics(token):
    """What the server answers as the 30-day YouTube Analytics totals for ``token``."""
    return {
        "views": figure(f"views:{token}", 100_000),
        "likes": figure(f"likes:{token}", 5_000),
        "comments": figure(f"comments:{token}", 500),
        "shares": figure(f"shares:{token}", 500),
        "estimatedMinutesWatched": figure(f"minutes:{token}", 1_000_000),
        "subscribersGained": figure(f"gained:{token}", 1_000),
        "subscribersLost": figure(f"lost:{token}", 100),
    }


def _analytics(q, authorization):
    """A reports.query answer: one row of totals, in the order the metrics were asked."""
    if not authorization.startswith("Bearer "):
        return 401, {
            "error": {"code": 401, "message": "Login Required.", "status": "UNAUTHENTICATED"}
        }
    totals = expected_analytics(authorization.removeprefix("Bearer "))
    metrics = [name for name in q.get("metrics", "").split(",") if name]
    return 200, {
        "kind": "youtubeAnalytics#resultTable",
        "columnHeaders": [
            {"name": name, "columnType": "METRIC", "dataType": "INTEGER"} for name in metrics
        ],
        "rows": [[totals.get(name, 0) for name in metrics]],
    }


def _recent(count):
    now = datetime.now(UTC)
    return [
        (now - timedelta(days=3 * i + 1)).isoformat().replace("+00:00", "Z") for i in range(count)
    ]


# A busy Mastodon account's posts: one every two hours, 25 days' worth.
BUSY_POSTS = 300
PAGE = 40


def _statuses(account_id, q, base):
    """(posts, headers) of one page of an account's posts, newest first, with the
    ``Link`` to the next page after a full one (docs.joinmastodon.org
    api/guidelines#pagination)."""
    acct = account_id.removeprefix("id-")
    limit = min(int(q.get("limit", "20")), PAGE)
    if not acct.startswith("busy"):
        return [
            {
                "id": str(i),
                "created_at": created,
                "favourites_count": 3 * i,
                "reblogs_count": i,
                "replies_count": 1,
            }
            for i, created in enumerate(_recent(5), start=1)
        ], {}
    # Ids count down from BUSY_POSTS (the newest) to 1; max_id pages to older ones.
    newest = min(int(q.get("max_id", BUSY_POSTS + 1)) - 1, BUSY_POSTS)
    now = datetime.now(UTC)
    page = [
        {
            "id": str(n),
            "created_at": (now - timedelta(hours=2 * (BUSY_POSTS - n) + 1))
            .isoformat()
            .replace("+00:00", "Z"),
            "favourites_count": 1,
            "reblogs_count": 1,
            "replies_count": 1,
        }
        for n in range(newest, max(newest - limit, 0), -1)
    ]
    headers = {}
    if len(page) == limit:
        rest = "exclude_replies=true&exclude_reblogs=true"
        path = f"/api/v1/accounts/{account_id}/statuses"
        headers["Link"] = (
            f'<{base}{path}?{rest}&limit={limit}&max_id={page[-1]["id"]}>; rel="next", '
            f'<{base}{path}?{rest}&limit={limit}&min_id={page[0]["id"]}>; rel="prev"'
        )
    return page, headers


def _x_users(q):
    """GET /2/users/by: the users asked for, those named "gone..." as errors."""
    data, errors = [], []
    for name in q.get("usernames", "").split(","):
        if name.startswith("gone"):
            errors.append(
                {
                    "value": name,
                    "detail": f"Could not find user with usernames: [{name}].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "usernames",
                    "resource_id": name,
                    "type": "https://api.x.com/2/problems/resource-not-found",
                }
            )
        else:
            data.append(
                {
                    "id": str(figure(name, 10**9)),
                    "name": name,
                    "username": name,
                    "public_metrics": {
                        "followers_count": expected_followers("x", name),
                        "post_count": figure(name, 5000),
                    },
                }
            )
    body = {"data": data} if data else {}
    if errors:
        body["errors"] = errors
    return body


def _platform(path):
    if path.startswith(("/api/v1/", "/.well-known/webfinger")):
        return "mastodon"
    if path.startswith("/xrpc/"):
        return "bluesky"
    if path.startswith(("/youtube/", "/v2/reports")):
        return "youtube"
    if path.startswith("/2/"):
        return "x"
    return "unknown"


def _answer(path, query, authorization=""):
    """(status, JSON body) of a well-behaved platform."""
    q = {key: values[0] for key, values in parse_qs(query).items()}
    if path == "/v2/reports":
        return _analytics(q, authorization)
    if path == "/.well-known/webfinger":  # the account is on its handle's domain
        user, _at, domain = q.get("resource", "").removeprefix("acct:").partition("@")
        return 200, {
            "subject": f"acct:{user}@{domain}",
            "links": [
                {
                    "rel": "self",
                    "type": "application/activity+json",
                    "href": f"https://{domain}/users/{user}",
                }
            ],
        }
    if path == "/api/v1/accounts/lookup":
        acct = q.get("acct", "")
        return 200, {
            "id": f"id-{acct}",
            "username": acct,
            "acct": acct,
            "followers_count": expected_followers("mastodon", acct),
            "statuses_count": figure(acct, 5000),
            "last_status_at": _recent(1)[0][:10],
        }
    if path == "/xrpc/app.bsky.actor.getProfile":
        actor = q.get("actor", "")
        return 200, {
            "did": f"did:plc:{hashlib.sha256(actor.encode()).hexdigest()[:24]}",
            "handle": actor,
            "followersCount": expected_followers("bluesky", actor),
            "followsCount": 12,
            "postsCount": figure(actor, 5000),
        }
    if path == "/xrpc/app.bsky.feed.getAuthorFeed":
        actor = q.get("actor", "")
        return 200, {
            "feed": [
                {
                    "post": {
                        "uri": f"at://{actor}/app.bsky.feed.post/{i}",
                        "author": {"handle": actor},
                        "record": {"$type": "app.bsky.feed.post", "createdAt": created},
                        "indexedAt": created,
                        "likeCount": 2 * i,
                        "repostCount": i,
                        "replyCount": 1,
                        "quoteCount": 0,
                    }
                }
                for i, created in enumerate(_recent(5), start=1)
            ]
        }
    if path == "/youtube/v3/channels":
        name = q.get("id") or q.get("forUsername") or q.get("forHandle", "").lstrip("@")
        return 200, {
            "kind": "youtube#channelListResponse",
            "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
            "items": [
                {
                    "kind": "youtube#channel",
                    "id": name,
                    "statistics": {
                        "viewCount": str(figure(name, 10**6)),
                        "subscriberCount": str(expected_followers("youtube", name)),
                        "hiddenSubscriberCount": False,
                        "videoCount": str(figure(name, 500)),
                    },
                }
            ],
        }
    if path == "/2/users/by":
        return 200, _x_users(q)
    if path.startswith("/2/users/by/username/"):
        name = path.rsplit("/", 1)[1]
        return 200, {
            "data": {
                "id": str(figure(name, 10**9)),
                "username": name,
                "public_metrics": {
                    "followers_count": expected_followers("x", name),
                    "post_count": figure(name, 5000),
                },
            }
        }
    return 404, {"error": "Record not found"}


class FakePlatformServer:
    def __init__(self, *, latency=0.0, host="127.0.0.1", port=0):
        self.latency = latency
        self.lock = threading.Lock()
        self.faults = []  # [match, deque of faults]
        self.log = []  # (arrival time, platform, path, status)
        self.profile_fields = {}  # Mastodon acct: its profile fields (entities/Account#Field)
        self.youtube_descriptions = {}  # YouTube channel id or handle: its description
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Without this, Nagle's algorithm held every answer back about 40 ms.
            disable_nagle_algorithm = True

            def log_message(self, format, *args):  # keep test output quiet
                pass

            def do_GET(self):
                server.handle(self)

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.thread = None

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def script(self, match, *faults):
        """The next requests whose path and query contain ``match`` meet ``faults``."""
        with self.lock:
            self.faults.append([match, deque(faults)])

    def _next_fault(self, path):
        with self.lock:
            for match, faults in self.faults:
                if match in path and faults:
                    return faults.popleft()
        return None

    def requests(self, platform=None):
        with self.lock:
            return [entry for entry in self.log if platform is None or entry[1] == platform]

    def max_rate(self, platform, window=1.0):
        """The most requests to ``platform`` that arrived within any ``window`` seconds."""
        return per_platform_rates(self.requests(platform), window).get(platform, 0)

    def handle(self, handler):
        arrived = time.time()
        split = urlsplit(handler.path)
        fault = self._next_fault(handler.path)  # path and query
        status, body, headers = 200, None, {}
        if fault == "reset":
            self._record(arrived, split.path, 0)
            handler.close_connection = True
            handler.connection.close()
            return
        if self.latency:
            time.sleep(self.latency)
        if fault and fault.startswith("slow:"):
            time.sleep(float(fault.split(":", 1)[1]))
            fault = None
        if fault and fault.startswith("429"):
            status, body = 429, {"error": "Too many requests"}
            headers["Retry-After"] = fault.split(":", 1)[1] if ":" in fault else "1"
        elif fault in ("500", "503", "404", "401"):
            status, body = int(fault), {"error": f"Scripted {fault}"}
        elif fault == "302":
            status, body = 302, {}
            headers["Location"] = "https://elsewhere.example/"
        elif split.path.startswith("/api/v1/accounts/") and split.path.endswith("/statuses"):
            query = {key: values[0] for key, values in parse_qs(split.query).items()}
            account_id = split.path.split("/")[4]
            base = f"http://{handler.headers.get('Host', '127.0.0.1')}"
            body, headers = _statuses(account_id, query, base)
        else:
            status, body = _answer(
                split.path, split.query, handler.headers.get("Authorization", "")
            )
            if split.path == "/api/v1/accounts/lookup":
                body["fields"] = self.profile_fields.get(body["acct"], [])
            if split.path == "/youtube/v3/channels":
                self._youtube_snippet(split.query, body)
        if fault == "huge":
            body["note"] = "x" * (1024 * 1024)
        self._record(arrived, split.path, status)
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _youtube_snippet(self, query, body):
        """The channel's snippet (title, customUrl, description), where it was asked for."""
        q = {key: values[0] for key, values in parse_qs(query).items()}
        if "snippet" not in q.get("part", "").split(","):
            return
        for item in body["items"]:
            name = item["id"]
            item["snippet"] = {
                "title": name,
                "customUrl": f"@{name}",
                "description": self.youtube_descriptions.get(name, ""),
            }

    def _record(self, arrived, path, status):
        with self.lock:
            self.log.append((arrived, _platform(path), path, status))


def per_platform_rates(log, window=1.0):
    """{platform: highest number of requests in any ``window`` seconds} of a log."""
    by_platform = defaultdict(list)
    for arrived, platform, _path, _status in log:
        by_platform[platform].append(arrived)
    rates = {}
    for platform, times in by_platform.items():
        times.sort()
        best = start = 0
        for end, arrival in enumerate(times):
            while arrival - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        rates[platform] = best
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--log", help="write the request log as JSON lines here on Ctrl-C")
    args = parser.parse_args()
    server = FakePlatformServer(latency=args.latency, port=args.port)
    print(f"Serving fake platform APIs at {server.url} (latency {args.latency} s)", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if args.log:
            with open(args.log, "w") as out:
                for entry in server.requests():
                    out.write(json.dumps(entry) + "\n")
        print(json.dumps(per_platform_rates(server.requests())), flush=True)


if __name__ == "__main__":
    main()
