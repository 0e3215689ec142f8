"""A fake OpenID Connect identity provider on 127.0.0.1, for the single sign-on tests:
discovery, a JWKS, a token endpoint that answers an RS256 id_token signed with a key
made here, and userinfo. Nothing leaves the machine."""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "portal"
CLIENT_SECRET = "portal-secret"
KID = "test-key"


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeIdentityProvider:
    def __init__(self):
        self.key = new_key()
        self.signing_key = self.key  # what the id_token is signed with
        self.codes = {}
        self.tokens = {}
        self.token_requests = 0
        self.id_token_changes = {}  # claims to override in the next id_token
        self.userinfo_changes = {}
        self.tamper = False
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def issue_code(self, *, nonce, code_challenge, sub, **claims):
        """What the identity provider does after the person signed in there."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": nonce, "challenge": code_challenge, "sub": sub, **claims}
        return code

    def configuration(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self):
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def token(self, form):
        self.token_requests += 1
        grant = self.codes.pop(form.get("code"), None)
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
        ):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            **grant,
            **self.id_token_changes,
        }
        claims.pop("challenge")
        id_token = jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": KID})
        if self.tamper:
            head, body, signature = id_token.split(".")
            payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            payload["sub"] = "someone-else"
            body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
            id_token = f"{head}.{body}.{signature}"
        access_token = secrets.token_urlsafe(16)
        userinfo = {k: v for k, v in grant.items() if k not in ("nonce", "challenge")}
        self.tokens[access_token] = {**userinfo, **self.userinfo_changes}
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def userinfo(self, authorization):
        token = authorization.removeprefix("Bearer ")
        if token not in self.tokens:
            return 401, {"error": "invalid_token"}
        return 200, self.tokens[token]

    def _handler(self):
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    self._answer(200, idp.configuration())
                elif self.path == "/jwks":
                    self._answer(200, idp.jwks())
                elif self.path == "/userinfo":
                    self._answer(*idp.userinfo(self.headers.get("Authorization", "")))
                else:
                    self._answer(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    self._answer(*idp.token(form))
                else:
                    self._answer(404, {})

        return Handler
