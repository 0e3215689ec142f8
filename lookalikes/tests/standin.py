"""A local stand-in for Bluesky's public AppView: answers
``GET /xrpc/app.bsky.actor.searchActors`` with the ProfileViews it is given, whatever the
query, in the lexicon's shape (test_browser_watch.py checks each answer against it)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class StandInAppView:
    def __init__(self, actors):
        self.actors = list(actors)
        self.requests = []
        self.answers = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # keep test output quiet
                pass

            def do_GET(self):
                url = urlsplit(self.path)
                server.requests.append((url.path, dict(parse_qsl(url.query))))
                if url.path != "/xrpc/app.bsky.actor.searchActors":
                    status, body = 400, {"error": "InvalidRequest", "message": "Unknown method"}
                else:
                    status, body = 200, {"actors": server.actors}
                server.answers.append((url.path, dict(parse_qsl(url.query)), status, body))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
