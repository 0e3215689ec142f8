"""Local stand-ins for what the Bluesky handle check asks (metrics/handles.py), for the
tests: a DNS server and a web server, each on a random port of 127.0.0.1, started in a
thread and stopped after the test.

- ``DnsServer``: answers ``TXT`` queries from ``zone`` (name -> list of TXT values, or
  one of ``NXDOMAIN``, ``SERVFAIL``, ``SILENT`` for a server that never answers); an
  unknown name is NXDOMAIN. Built with dnspython's own message parsing and making.
- ``HandleHosts``: answers as the handle hosts would, by the request's Host header
  (the check sends it there with METRICS_HANDLE_BASE_URL): ``pages[(host, path)]`` is
  (status, headers, body); anything else is 404. It also answers the AppView's
  ``app.bsky.actor.getProfile`` from ``profiles[actor]`` (status, JSON), checked
  against the lexicons (contracts.py) when set; an unknown actor gets Bluesky's
  "Profile not found" error. Requests the lexicons do not define are kept in
  ``problems``, for the test to assert there are none.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

from . import contracts

NXDOMAIN, SERVFAIL, SILENT = "NXDOMAIN", "SERVFAIL", "SILENT"


class DnsServer:
    def __init__(self):
        self.zone = {}
        self.queries = []
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join(timeout=5)
        self.socket.close()

    def _serve(self):
        while self.running:
            try:
                wire, sender = self.socket.recvfrom(4096)
            except TimeoutError:
                continue
            answer = self.answer(dns.message.from_wire(wire))
            if answer is not None:
                self.socket.sendto(answer.to_wire(), sender)

    def answer(self, query):
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        self.queries.append(name)
        entry = self.zone.get(name, NXDOMAIN)
        if entry == SILENT:
            return None
        response = dns.message.make_response(query)
        if entry == NXDOMAIN:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif entry == SERVFAIL:
            response.set_rcode(dns.rcode.SERVFAIL)
        elif question.rdtype == dns.rdatatype.TXT and entry:
            values = [json.dumps(value) for value in entry]  # quoted, as in a zone file
            response.answer.append(
                dns.rrset.from_text_list(question.name, 300, "IN", "TXT", values)
            )
        return response


NOT_FOUND = {"error": "InvalidRequest", "message": "Profile not found"}


class HandleHosts:
    def __init__(self):
        self.pages = {}
        self.profiles = {}
        self.requests = []
        self.problems = []  # AppView requests the lexicons do not define
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # keep test output quiet
                pass

            def do_GET(self):
                outer.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def profile(self, actor, answer, status=200):
        """The AppView's answer for ``actor``, which must match the lexicon."""
        problems = contracts.platforms()["bluesky"].answer(
            "GET", "/xrpc/app.bsky.actor.getProfile", status, answer, {}
        )
        assert problems == [], problems
        self.profiles[actor] = (status, answer)

    def handle(self, request):
        parts = urlsplit(request.path)
        host = (request.headers.get("Host") or "").lower()
        self.requests.append((host, parts.path))
        if parts.path == "/xrpc/app.bsky.actor.getProfile":
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            self.problems += contracts.platforms()["bluesky"].request("GET", parts.path, query)
            actor = query.get("actor", "")
            status, answer = self.profiles.get(actor, (400, NOT_FOUND))
            headers, body = {"Content-Type": "application/json"}, json.dumps(answer).encode()
        else:
            status, headers, body = self.pages.get((host, parts.path), (404, {}, b"Not found"))
            body = body.encode() if isinstance(body, str) else body
        request.send_response(status)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
