"""A local OAuth 2.0 authorization server on 127.0.0.1 that answers like Meta, LinkedIn
and Google on the paths metrics.oauth uses (point it there with
METRICS_OAUTH_BASE_URL): the consent page (which consents or refuses at once, as the
test says), the token endpoint (authorization code with a PKCE check where a challenge
was sent, each code once; Meta's long-lived exchange; refresh tokens, which a test can
expire or revoke), and the account resources the flow reads. Nothing leaves the machine.
"""

import base64
import hashlib
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings

CLIENTS = {
    "meta": ("meta-app", "meta-secret"),
    "linkedin": ("linkedin-app", "linkedin-secret"),
    "google": ("google-app", "google-secret"),
}

AUTHORIZE_PATHS = {
    f"/{settings.METRICS_META_GRAPH_VERSION}/dialog/oauth": "meta",
    "/oauth/v2/authorization": "linkedin",
    "/o/oauth2/v2/auth": "google",
}
TOKEN_PATHS = {
    f"/{settings.METRICS_META_GRAPH_VERSION}/oauth/access_token": "meta",
    "/oauth/v2/accessToken": "linkedin",
    "/token": "google",
}
# Seconds an access token lives (Meta's first, short-lived user token).
LIFETIMES = {"meta": 3600, "linkedin": 60 * 86400, "google": 3599}


def challenge_of(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class FakeAuthorizationServer:
    def __init__(self):
        self.consent = True  # what the person answers on the consent page
        self.name = "Alice Owner"
        self.email = "alice@example.org"
        # Meta: the Pages the person manages ({id, name, instagram_business_account}).
        self.pages = []
        # LinkedIn: the organizations the person administers (numeric ids).
        self.organizations = []
        # Google: the YouTube channels of the account.
        self.youtube_channels = []
        self.codes = {}
        self.access_tokens = {}  # token -> platform
        self.refresh_tokens = {}  # token -> "valid" | "expired" | "revoked"
        self.requests = []  # (method, path, form or query)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # --- What a test changes --------------------------------------------------------

    def expire(self, refresh_token):
        self.refresh_tokens[refresh_token] = "expired"

    def revoke(self, refresh_token):
        self.refresh_tokens[refresh_token] = "revoked"

    def token_requests(self, grant_type=None):
        return [
            form
            for method, path, form in self.requests
            if path in TOKEN_PATHS and (grant_type is None or form.get("grant_type") == grant_type)
        ]

    # --- The endpoints ---------------------------------------------------------------

    def authorize(self, platform, query):
        """The consent page: a redirect back with a code, or with access_denied."""
        back = query.get("redirect_uri", "")
        if query.get("client_id") != CLIENTS[platform][0] or not back:
            return 400, {"error": "invalid_request"}, None
        if not self.consent:
            answer = {"error": "access_denied", "error_description": "The user said no."}
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "platform": platform,
                "redirect_uri": back,
                "challenge": query.get("code_challenge"),
                "scope": query.get("scope", ""),
            }
            answer = {"code": code}
        answer["state"] = query.get("state", "")
        return 302, None, f"{back}?{urlencode(answer)}"

    def _new_token(self, platform, *, scope, refresh=True):
        access = f"{platform}-access-{secrets.token_urlsafe(12)}"
        self.access_tokens[access] = platform
        token = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": LIFETIMES[platform],
            "scope": scope,
        }
        if refresh and platform != "meta":
            token["refresh_token"] = f"{platform}-refresh-{secrets.token_urlsafe(12)}"
            self.refresh_tokens[token["refresh_token"]] = "valid"
        return token

    def token(self, platform, form):
        client_id, client_secret = CLIENTS[platform]
        if form.get("client_id") != client_id or form.get("client_secret") != client_secret:
            return 401, {"error": "invalid_client"}
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)  # a code works once
            if grant is None or grant["platform"] != platform:
                return 400, {"error": "invalid_grant", "error_description": "Unknown code."}
            if form.get("redirect_uri") != grant["redirect_uri"]:
                return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
            if (
                grant["challenge"]
                and challenge_of(form.get("code_verifier", "")) != grant["challenge"]
            ):
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
            return 200, self._new_token(platform, scope=grant["scope"])
        if grant_type == "fb_exchange_token" and platform == "meta":
            if self.access_tokens.get(form.get("fb_exchange_token")) != "meta":
                return 400, {"error": {"message": "Invalid token", "code": 190}}
            token = self._new_token("meta", scope="")
            token["expires_in"] = 60 * 86400
            return 200, token
        if grant_type == "refresh_token":
            state = self.refresh_tokens.get(form.get("refresh_token", ""))
            if state != "valid":
                return 400, {"error": "invalid_grant", "error_description": f"{state} token"}
            token = self._new_token(platform, scope="", refresh=False)
            return 200, token
        return 400, {"error": "unsupported_grant_type"}

    def resource(self, path, query, authorization):
        platform = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if platform is None:
            return 401, {"error": "invalid_token"}
        if path == f"/{settings.METRICS_META_GRAPH_VERSION}/me" and platform == "meta":
            return 200, {"id": "10001", "name": self.name}
        if path == f"/{settings.METRICS_META_GRAPH_VERSION}/me/accounts" and platform == "meta":
            data = []
            for page in self.pages:
                page_token = f"page-{page['id']}-{secrets.token_urlsafe(8)}"
                self.access_tokens[page_token] = "meta-page"
                data.append({**page, "access_token": page_token})
            return 200, {"data": data}
        if path == "/v2/userinfo" and platform == "linkedin":
            return 200, {"sub": "abc", "name": self.name}
        if path == "/rest/organizationAcls" and platform == "linkedin":
            return 200, {
                "elements": [
                    {
                        "organization": f"urn:li:organization:{org}",
                        "role": "ADMINISTRATOR",
                        "state": "APPROVED",
                    }
                    for org in self.organizations
                ]
            }
        if path == "/oauth2/v3/userinfo" and platform == "google":
            return 200, {"sub": "g1", "email": self.email, "name": self.name}
        if path == "/youtube/v3/channels" and platform == "google":
            return 200, {"items": [{"id": channel} for channel in self.youtube_channels]}
        return 404, {"error": "not_found"}

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body, location=None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                server.requests.append(("GET", parts.path, query))
                if parts.path in AUTHORIZE_PATHS:
                    self._answer(*server.authorize(AUTHORIZE_PATHS[parts.path], query))
                else:
                    self._answer(
                        *server.resource(parts.path, query, self.headers.get("Authorization", ""))
                    )

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                path = urlsplit(self.path).path
                server.requests.append(("POST", path, form))
                if path in TOKEN_PATHS:
                    self._answer(*server.token(TOKEN_PATHS[path], form))
                else:
                    self._answer(404, {})

        return Handler
