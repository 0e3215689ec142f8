"""Replaying recorded platform answers through the real client code.

A recording is a JSON file under ``recorded/<platform>/``: where its shape comes from
(``source``) and the exchanges, in order, each a request (method, path, query) and the
answer (status, headers, and ``json`` or raw ``text``). ``replay`` makes an httpx
client whose transport answers each request with the next exchange, after checking
that the request is the one recorded: a provider that asks for something else fails
the test instead of silently getting an answer. Every request a provider sends through a
replay is also checked against the platform's published schema (contracts.py): a path,
parameter or field the platform does not define fails the test.

Each recording names the documentation pages and the API version it follows
(``follows``); an answer that is deliberately off the schema says why (``off_schema``).
test_contracts.py validates every recording here against the published schemas.
"""

import json
from pathlib import Path
from urllib.parse import parse_qsl

import httpx

from . import contracts

RECORDED = Path(__file__).parent / "recorded"


def load(platform, name):
    return json.loads((RECORDED / platform / f"{name}.json").read_text())


class Replay:
    def __init__(self, recording, platform=None):
        self.exchanges = list(recording["exchanges"])
        self.requests = []
        self.platform = platform

    def __call__(self, request):
        self.requests.append(request)
        if self.platform is not None:
            problems = contracts.check_sent(self.platform, request)
            assert not problems, f"{request.method} {request.url}: {problems}"
        if not self.exchanges:
            raise AssertionError(f"Unrecorded request: {request.method} {request.url}")
        exchange = self.exchanges.pop(0)
        expected = exchange["request"]
        assert request.method == expected.get("method", "GET")
        assert request.url.path == expected["path"], (request.url.path, expected["path"])
        for key, value in expected.get("query", {}).items():
            assert dict(parse_qsl(request.url.query.decode()))[key] == value, key
        for key, value in expected.get("headers", {}).items():
            assert request.headers.get(key) == value, key
        answer = exchange["response"]
        if answer.get("raise") == "timeout":
            raise httpx.ReadTimeout("recorded timeout", request=request)
        if answer.get("raise") == "reset":
            raise httpx.RemoteProtocolError("connection reset", request=request)
        headers = answer.get("headers", {})
        if "json" in answer:
            content = json.dumps(answer["json"]).encode()
            headers = {"content-type": "application/json; charset=utf-8", **headers}
        else:
            content = answer.get("text", "").encode()
        return httpx.Response(answer.get("status", 200), headers=headers, content=content)


def replay(platform, name):
    """(client, replay) for the recording: the client to give the provider, the replay
    to check afterwards that every recorded exchange was used."""
    transport = Replay(load(platform, name), platform)
    return httpx.Client(transport=httpx.MockTransport(transport)), transport


def reload(channel):
    """The channel as the collector loads it (no cached token)."""
    from accounts.models import Channel

    return Channel.objects.select_related("api_token").get(pk=channel.pk)


def fetch_recorded(provider, channel, recording):
    """What ``provider`` (a provider class) reads for ``channel`` from its platform's
    ``recording``; fails the test if a recorded exchange was left unused."""
    client, transport = replay(channel.platform, recording)
    try:
        return provider(client=client).fetch(channel)
    finally:
        assert transport.exchanges == [], "a recorded exchange was not used"
