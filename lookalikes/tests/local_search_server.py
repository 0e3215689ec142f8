"""A local HTTP server that answers Mastodon's account search and YouTube's channel
search as the platforms document them, for the search tests (never used by the
running portal).

- ``GET /api/v2/search?q=&type=accounts&limit=&offset=``: the accounts of
  ``mastodon_accounts`` whose username or display name contains ``q``, ``limit`` (at
  most 40) from ``offset``, as Mastodon 4.x serves them: a user token in
  ``Authorization`` (``mastodon_token``), 401 with Mastodon's error body when it is
  missing or wrong (docs.joinmastodon.org methods/search#v2, entities/Error).
- ``GET /youtube/v3/search?part=snippet&type=channel&q=&maxResults=&pageToken=``: the
  channels of ``youtube_channels`` whose title contains ``q``, ``maxResults`` (at most
  50) a page with ``nextPageToken`` while there are more; the key in
  ``X-Goog-Api-Key`` (``youtube_key``), else 400 ``keyInvalid``
  (developers.google.com/youtube/v3/docs/search/list, docs/errors).

``script(path, *faults)`` makes the next requests to ``path`` fail, one fault each:
``429:<seconds>`` (with ``Retry-After``), ``500``, ``401``, ``malformed`` (an HTML
page, as from a proxy), ``quota`` (Google's 403 ``quotaExceeded``). Every request is
logged (path, query, headers).
"""

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MASTODON_PAGE = 40
YOUTUBE_PAGE = 50


def mastodon_account(number, name, *, domain="", server="mastodon.example"):
    """An Account entity as a server sends it in search results (the fields the watch
    reads, and the ones every server sends)."""
    username = name.lower().replace(" ", "")[:20] + str(number)
    home = domain or server
    return {
        "id": str(100000 + number),
        "username": username,
        "acct": f"{username}@{domain}" if domain else username,
        "display_name": name,
        "locked": False,
        "bot": False,
        "group": False,
        "created_at": "2026-11-01T00:00:00.000Z",
        "note": f"<p>{name} number {number}</p>",
        "url": f"https://{home}/@{username}",
        "uri": f"https://{home}/users/{username}",
        "avatar": f"https://{server}/avatars/{number}.png",
        "avatar_static": f"https://{server}/avatars/{number}.png",
        "header": f"https://{server}/headers/missing.png",
        "header_static": f"https://{server}/headers/missing.png",
        "followers_count": number,
        "following_count": 0,
        "statuses_count": 0,
        "emojis": [],
        "fields": [],
    }


def youtube_channel(number, title):
    channel_id = f"UC{number:022d}"
    return {
        "kind": "youtube#searchResult",
        "etag": f"etag{number}",
        "id": {"kind": "youtube#channel", "channelId": channel_id},
        "snippet": {
            "publishedAt": "2026-11-01T00:00:00Z",
            "channelId": channel_id,
            "title": title,
            "description": f"{title} number {number}",
            "thumbnails": {"default": {"url": f"https://yt3.example/{number}=s88"}},
            "channelTitle": title,
            "liveBroadcastContent": "none",
        },
    }


QUOTA = {
    "error": {
        "code": 403,
        "message": "The request cannot be completed because you have exceeded your quota.",
        "errors": [
            {
                "message": "The request cannot be completed because you have exceeded your quota.",
                "domain": "youtube.quota",
                "reason": "quotaExceeded",
            }
        ],
        "status": "PERMISSION_DENIED",
    }
}


class LocalSearchServer:
    def __init__(self):
        self.mastodon_token = "local-mastodon-token"
        self.youtube_key = "local-youtube-key"
        self.mastodon_accounts = []
        self.youtube_channels = []
        self.lock = threading.Lock()
        self.faults = {}
        self.log = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format, *args):
                pass

            def do_GET(self):
                server.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, path, *faults):
        with self.lock:
            self.faults.setdefault(path, deque()).extend(faults)

    def requests(self, path=None):
        with self.lock:
            return [entry for entry in self.log if path is None or entry[0] == path]

    def handle(self, handler):
        split = urlsplit(handler.path)
        query = {key: values[0] for key, values in parse_qs(split.query).items()}
        with self.lock:
            self.log.append((split.path, query, dict(handler.headers)))
            faults = self.faults.get(split.path)
            fault = faults.popleft() if faults else None
        headers = {}
        if fault and fault.startswith("429"):
            status, body = 429, {"error": "Too many requests"}
            headers["Retry-After"] = fault.partition(":")[2] or "1"
        elif fault in ("500", "401"):
            status, body = int(fault), {"error": f"Scripted {fault}"}
        elif fault == "quota":
            status, body = 403, QUOTA
        elif fault == "malformed":
            status, body = 200, "<html><body>Bad gateway</body></html>"
        elif split.path == "/api/v2/search":
            status, body = self.mastodon(query, handler.headers.get("Authorization", ""))
        elif split.path == "/youtube/v3/search":
            status, body = self.youtube(query, handler.headers.get("X-Goog-Api-Key", ""))
        else:
            status, body = 404, {"error": "Record not found"}
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        handler.send_response(status)
        kind = "text/html" if isinstance(body, str) else "application/json"
        handler.send_header("Content-Type", f"{kind}; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def mastodon(self, query, authorization):
        if authorization != f"Bearer {self.mastodon_token}":
            if "offset" in query:
                message = "Search queries pagination is not supported without authentication"
                return 401, {"error": message}
            return 401, {"error": "The access token is invalid"}
        text = query.get("q", "").lower()
        matches = [
            account
            for account in self.mastodon_accounts
            if text in account["username"].lower() or text in account["display_name"].lower()
        ]
        offset = int(query.get("offset", "0"))
        limit = min(int(query.get("limit", "20")), MASTODON_PAGE)
        return 200, {
            "accounts": matches[offset : offset + limit],
            "statuses": [],
            "hashtags": [],
        }

    def youtube(self, query, key):
        if key != self.youtube_key:
            return 400, {
                "error": {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key.",
                    "errors": [
                        {"message": "Bad Request", "domain": "usageLimits", "reason": "keyInvalid"}
                    ],
                }
            }
        text = query.get("q", "").lower()
        matches = [
            item for item in self.youtube_channels if text in item["snippet"]["title"].lower()
        ]
        start = int(query.get("pageToken", "PAGE0").removeprefix("PAGE"))
        size = min(int(query.get("maxResults", "5")), YOUTUBE_PAGE)
        body = {
            "kind": "youtube#searchListResponse",
            "etag": "local",
            "pageInfo": {"totalResults": len(matches), "resultsPerPage": size},
            "items": matches[start : start + size],
        }
        if start + size < len(matches):
            body["nextPageToken"] = f"PAGE{start + size}"
        return 200, body
