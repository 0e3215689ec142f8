"""The platforms' published schemas, read from the packages that ship them, and the
checks of recorded answers and sent requests against them.

Nothing here copies a schema: each one is read from a development dependency as
installed (requirements-dev.in), so upgrading the package is refreshing the contract.

- Bluesky: the ``atproto`` package's lexicon models (app.bsky.*, com.atproto.*). A
  request's NSID must be a query the lexicons define and its parameters must parse into
  that query's ``Params`` model; an answer must parse, with strict types and string
  formats (DID, handle, CID, AT-URI, datetime), into the query's output model, and no
  object may carry a field the lexicon does not define. Errors: the XRPC error body
  (``error``, ``message``) of atproto's ``XrpcError`` model.
- YouTube: the Data API v3 discovery document that ``google-api-python-client`` ships
  (googleapiclient/discovery_cache/documents/youtube.v3.json), and for the private
  figures the YouTube Analytics API v2 one it ships beside it (youtubeAnalytics.v2.json:
  ``reports.query``, its parameters with the requirements and patterns its descriptions
  state, and ``QueryResponse``, each row one value per column header). The request's path must
  be one of its methods, every parameter one the method or the API takes, of its type
  and range, and every ``part`` a property of the resource; the answer must match the
  method's response schema: no property the schema lacks, each of its type and format
  (a uint64 is a string of digits). Errors: Google's JSON error body as documented at
  developers.google.com/youtube/v3/docs/errors (not in the discovery document).
- Facebook and Instagram: ``facebook-business`` (Meta's Business SDK), its node classes
  (Page, IGUser) and, for an edge, the class its ``get_<edge>`` returns (PagePost,
  IGMedia). Every field asked for in ``fields=`` and every field in an answer must be in
  the class's field list, of the type the SDK gives it; an answer carries no field that
  was not asked for (besides ``id``); an edge's parameters are the SDK's for that edge
  plus Graph's cursor paging (``limit``, ``after``, ``before``). Errors: the keys the
  SDK's FacebookRequestError reads, as in the Graph API guide "Handling Errors".
- X: ``xdk``, X's official SDK, generated from the X API v2 OpenAPI document: the
  package ships the document's schemas as pydantic models and each endpoint's path and
  parameters (with the allowed ``*.fields`` values) as client methods, but not the
  openapi.json itself. Answers are validated with strict types against the endpoint's
  response model, with no field the model lacks. Top-level error answers whose
  ``type`` is not one of the document's problem types are checked against the generic
  problem the document and RFC 7807 define (``type`` and ``title`` required).
- Mastodon: ``Mastodon.py``'s entities (mastodon/return_types.py: Account, Status...,
  each kept against docs.joinmastodon.org/entities/) and its methods (the path, the
  parameters and the entity each returns). An answer may carry no field the entity
  lacks, each field must be of its type, and the fields a server always sends (not
  nullable, and added, by each field's version history, at or before the Mastodon
  version the recording follows) must be there. WebFinger (RFC 7033) and
  Mastodon's error body (docs.joinmastodon.org/entities/Error) are small documented
  shapes no package ships: they are written out below, with their source.
- LinkedIn: no package ships a schema of the Community Management API
  (``linkedin-api-client`` is a generic Rest.li client without one), so the one
  endpoint used and its error body are written out below from the documentation
  pages they cite.

A recording may hold an answer that is deliberately off the schema (a truncated body,
an HTML page from a proxy, a field left out) to test how a provider copes: the answer
says so with ``"off_schema": "<why>"``, and the check then requires it NOT to match
(so the mark cannot hide a real mismatch, and a stale mark fails too).
"""

import datetime
import functools
import importlib
import inspect
import json
import re
import typing
from importlib.metadata import version
from pathlib import Path
from urllib.parse import parse_qsl, unquote

# ---------------------------------------------------------------------------------
# Shared helpers


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _iso_datetime(value):
    """An ISO 8601 date or date-time as the platforms send them."""
    if not isinstance(value, str):
        return False
    text = value.replace("Z", "+00:00")
    # Graph writes the offset without a colon (+0000).
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _pydantic_extras(obj, where="$"):
    """Fields an instance parsed from JSON carried that its model does not define
    (the SDKs' models allow extras, for forward compatibility; a contract does not)."""
    from pydantic import BaseModel

    problems = []
    if isinstance(obj, BaseModel):
        problems += [f"{where}.{key}: not in the schema" for key in obj.model_extra or {}]
        for name in type(obj).model_fields:
            problems += _pydantic_extras(getattr(obj, name), f"{where}.{name}")
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            problems += _pydantic_extras(item, f"{where}[{index}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            problems += _pydantic_extras(item, f"{where}.{key}")
    return problems


def _pydantic_errors(error):
    return [
        f"$.{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    ]


def _check_shape(shape, value, where):
    """A small written-out schema: {key: (type, required)}; no other keys."""
    if not isinstance(value, dict):
        return [f"{where}: expected an object"]
    problems = [f"{where}.{key}: not in the schema" for key in value if key not in shape]
    for key, (kind, required) in shape.items():
        if key not in value:
            if required:
                problems.append(f"{where}.{key}: required")
        elif kind is int and not _is_int(value[key]):
            problems.append(f"{where}.{key}: expected an integer")
        elif kind is not int and not isinstance(value[key], kind):
            problems.append(f"{where}.{key}: expected {kind.__name__}")
    return problems


class Platform:
    """One platform's contract: ``request`` and ``answer`` return the problems found."""

    #: What the schema is read from, for messages and the report.
    source = ""

    def request(self, method, path, query):
        raise NotImplementedError

    def versions_sent(self, recording):
        """The API versions a recording's requests name (in the path or a header),
        which its ``follows.version`` must name too."""
        return set()

    def answer(self, method, path, status, body, query, followed=None):
        raise NotImplementedError


# ---------------------------------------------------------------------------------
# Bluesky: atproto's lexicon models


class Bluesky(Platform):
    @functools.cached_property
    def source(self):
        return f"atproto {version('atproto')} lexicon models"

    @functools.cached_property
    def queries(self):
        """NSID -> (Params model or None, output model), read from atproto's client,
        which the package generates from the lexicons."""
        import atproto_client.namespaces.sync_ns as namespaces

        resolve = self._resolve
        found = {}
        text = Path(namespaces.__file__).read_text()
        for block in re.split(r"\n    def ", text):
            call = re.search(r"invoke_query\(\s*'([\w.]+)'", block)
            output = re.search(r"\) -> '(models\.[\w.]+)':", block)
            if not call or not output:
                continue
            # Optional where every parameter is (app.bsky.actor.searchActors).
            params = re.search(
                r"params: (?:t\.Optional\[\s*)?t\.Union\[(models\.[\w.]+\.Params),", block
            )
            found[call.group(1)] = (params.group(1) if params else None, output.group(1))
        return {nsid: (resolve(p) if p else None, o) for nsid, (p, o) in found.items()}

    @staticmethod
    def _resolve(dotted):
        from atproto_client import models

        obj = models
        for part in dotted.split(".")[1:]:
            obj = getattr(obj, part)
        return obj

    def request(self, method, path, query):
        nsid = path.removeprefix("/xrpc/")
        if not path.startswith("/xrpc/") or nsid not in self.queries:
            return [f"{path}: not an XRPC query the lexicons define"]
        if method != "GET":
            return [f"{nsid} is a query: GET, not {method}"]
        params_model, _output = self.queries[nsid]
        if params_model is None:
            return [f"{nsid}: takes no parameters"] if query else []
        names = {field.alias or name for name, field in params_model.model_fields.items()}
        problems = [f"{nsid}: no parameter {key!r}" for key in query if key not in names]
        if problems:
            return problems
        from pydantic import ValidationError

        try:
            params_model.model_validate(
                dict(query), strict=False, context={"strict_string_format": True}
            )
        except ValidationError as error:
            return [f"{nsid} params {line}" for line in _pydantic_errors(error)]
        return []

    def answer(self, method, path, status, body, query, followed=None):
        from atproto_client.models.common import XrpcError
        from atproto_client.models.utils import get_or_create
        from pydantic import ValidationError

        nsid = path.removeprefix("/xrpc/")
        model = XrpcError if status >= 400 else self._resolve(self.queries[nsid][1])
        if not isinstance(body, dict):
            return ["$: expected an object"]
        try:
            parsed = get_or_create(body, model, strict=True, strict_string_format=True)
        except ValidationError as error:
            return _pydantic_errors(error)
        except Exception as error:  # atproto's ModelError, wrapping pydantic's
            cause = error.__cause__ or error.__context__
            if isinstance(cause, ValidationError):
                return _pydantic_errors(cause)
            return [f"$: {str(error).splitlines()[0]}"]
        return _pydantic_extras(parsed) + self._unknown_records(parsed)

    @staticmethod
    def _unknown_records(obj, where="$"):
        """A record or union member of no type the lexicons know parses to a DotDict."""
        from atproto_client.models.dot_dict import DotDict
        from pydantic import BaseModel

        if isinstance(obj, DotDict):
            return [f"{where}: a $type the lexicons do not define"]
        problems = []
        if isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                problems += Bluesky._unknown_records(getattr(obj, name), f"{where}.{name}")
        elif isinstance(obj, list):
            for index, item in enumerate(obj):
                problems += Bluesky._unknown_records(item, f"{where}[{index}]")
        return problems


# ---------------------------------------------------------------------------------
# YouTube: the discovery document shipped by google-api-python-client


class Discovery(Platform):
    """One Google API, by the discovery document ``name`` (``youtube.v3``) that
    google-api-python-client ships."""

    def __init__(self, name):
        self.name = name

    @functools.cached_property
    def document(self):
        import googleapiclient

        path = Path(googleapiclient.__file__).parent / f"discovery_cache/documents/{self.name}.json"
        return json.loads(path.read_text())

    @functools.cached_property
    def source(self):
        return (
            f"google-api-python-client {version('google-api-python-client')}: "
            f"{self.name}.json, revision {self.document['revision']}"
        )

    @functools.cached_property
    def methods(self):
        """'/youtube/v3/channels' -> the method, for every method of every resource."""
        found = {}

        def walk(resources):
            for resource in resources.values():
                for method in resource.get("methods", {}).values():
                    found[(method["httpMethod"], "/" + method["path"])] = method
                walk(resource.get("resources", {}))

        walk(self.document["resources"])
        return found

    def _method(self, method, path):
        return self.methods.get((method, path))

    def _resource_parts(self, api_method):
        """The ``part`` values of a list method: the properties of the listed resource
        (an item of the response's ``items``), less ``kind`` and ``etag``."""
        response = self.document["schemas"][api_method["response"]["$ref"]]
        item = response["properties"].get("items", {}).get("items", {}).get("$ref")
        properties = self.document["schemas"][item]["properties"] if item else {}
        return set(properties) - {"kind", "etag"}

    def request(self, method, path, query):
        api_method = self._method(method, path)
        if api_method is None:
            return [f"{method} {path}: no such method in the discovery document"]
        parameters = {**self.document["parameters"], **api_method["parameters"]}
        problems = [
            f"{api_method['id']}: required parameter {name!r} missing"
            for name, spec in api_method["parameters"].items()
            if spec.get("required") and name not in query
        ]
        for name, value in query.items():
            spec = parameters.get(name)
            if spec is None:
                problems.append(f"{api_method['id']}: no parameter {name!r}")
                continue
            values = value.split(",") if spec.get("repeated") else [value]
            for one in values:
                problems += self._parameter(api_method["id"], name, spec, one)
            if name == "part":
                parts = self._resource_parts(api_method)
                problems += [
                    f"{api_method['id']}: {one!r} is not a part of the resource"
                    for one in values
                    if one not in parts
                ]
        return problems

    @staticmethod
    def _parameter(method_id, name, spec, value):
        kind = spec.get("type")
        where = f"{method_id}: parameter {name}={value!r}"
        if "enum" in spec and value not in spec["enum"]:
            return [f"{where} is not one of {spec['enum']}"]
        if kind == "integer":
            if not re.fullmatch(r"-?\d+", value):
                return [f"{where} is not an integer"]
            number = int(value)
            if "minimum" in spec and number < int(spec["minimum"]):
                return [f"{where} is below {spec['minimum']}"]
            if "maximum" in spec and number > int(spec["maximum"]):
                return [f"{where} is above {spec['maximum']}"]
        if kind == "boolean" and value not in ("true", "false"):
            return [f"{where} is not true or false"]
        if name == "forHandle" and not value:
            return [f"{where} is empty"]
        return []

    def answer(self, method, path, status, body, query, followed=None):
        if status >= 400:
            return self._error(body)
        api_method = self._method(method, path)
        return self._check({"$ref": api_method["response"]["$ref"]}, body, "$")

    def _check(self, schema, value, where):
        schemas = self.document["schemas"]
        if "$ref" in schema:
            schema = schemas[schema["$ref"]]
        kind = schema.get("type")
        if kind == "object":
            if not isinstance(value, dict):
                return [f"{where}: expected an object"]
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            problems = []
            for key, item in value.items():
                if key in properties:
                    problems += self._check(properties[key], item, f"{where}.{key}")
                elif extra:
                    problems += self._check(extra, item, f"{where}.{key}")
                else:
                    problems.append(f"{where}.{key}: not in {schema.get('id', 'the schema')}")
            return problems
        if kind == "array":
            if not isinstance(value, list):
                return [f"{where}: expected an array"]
            problems = []
            for index, item in enumerate(value):
                problems += self._check(schema.get("items", {}), item, f"{where}[{index}]")
            return problems
        if kind == "string":
            if not isinstance(value, str):
                return [f"{where}: expected a string"]
            form = schema.get("format")
            if form in ("int64", "uint64") and not re.fullmatch(
                r"\d+" if form == "uint64" else r"-?\d+", value
            ):
                return [f"{where}: expected a {form} (a string of digits)"]
            if form == "date-time" and not _iso_datetime(value):
                return [f"{where}: expected a date-time"]
            if "enum" in schema and value not in schema["enum"]:
                return [f"{where}: {value!r} is not one of {schema['enum']}"]
            return []
        if kind == "integer":
            if not _is_int(value):
                return [f"{where}: expected an integer"]
            if schema.get("format", "").startswith("uint") and value < 0:
                return [f"{where}: expected an unsigned integer"]
            return []
        if kind == "number":
            return (
                []
                if isinstance(value, int | float) and not isinstance(value, bool)
                else [f"{where}: expected a number"]
            )
        if kind == "boolean":
            return [] if isinstance(value, bool) else [f"{where}: expected a boolean"]
        return []

    # developers.google.com/youtube/v3/docs/errors and the Google JSON error format
    # (cloud.google.com/apis/design/errors, "HTTP mapping"): the discovery document
    # does not describe error bodies.
    ERROR = {
        "code": (int, True),
        "message": (str, True),
        "errors": (list, False),
        "status": (str, False),
        "details": (list, False),
    }
    ERROR_ITEM = {
        "message": (str, True),
        "domain": (str, True),
        "reason": (str, True),
        "location": (str, False),
        "locationType": (str, False),
        "extendedHelp": (str, False),
    }

    def _error(self, body):
        if not isinstance(body, dict) or set(body) != {"error"}:
            return ["$: expected an object with only 'error'"]
        problems = _check_shape(self.ERROR, body["error"], "$.error")
        for index, item in enumerate(body["error"].get("errors") or []):
            problems += _check_shape(self.ERROR_ITEM, item, f"$.error.errors[{index}]")
        return problems


class YouTubeAnalytics(Discovery):
    """The YouTube Analytics API v2 (youtubeAnalytics.v2.json). Its document states a
    parameter's requirement and pattern only in the description ("required: true,
    pattern: [0-9]{4}-..."), so those are read from there. An answer's ``rows`` are
    ``any`` in the document; its description says each row has one value per column
    of ``columnHeaders``, in order, which is checked with each column's ``dataType``."""

    REQUIRED = re.compile(r"required: true")
    # Each description ends with its pattern.
    PATTERN = re.compile(r'pattern: "?([^\s"]+)"?\s*$')
    DATA_TYPES = {
        "INTEGER": _is_int,
        "FLOAT": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
        "STRING": lambda value: isinstance(value, str),
    }

    def request(self, method, path, query):
        problems = super().request(method, path, query)
        api_method = self._method(method, path)
        if api_method is None:
            return problems
        for name, spec in api_method["parameters"].items():
            description = spec.get("description", "")
            if self.REQUIRED.search(description) and name not in query:
                problems.append(f"{api_method['id']}: required parameter {name!r} missing")
            pattern = self.PATTERN.search(description)
            if pattern and name in query and not re.fullmatch(pattern.group(1), query[name]):
                problems.append(
                    f"{api_method['id']}: parameter {name}={query[name]!r} does not match "
                    f"{pattern.group(1)}"
                )
        return problems

    def answer(self, method, path, status, body, query, followed=None):
        problems = super().answer(method, path, status, body, query, followed)
        if problems or status >= 400:
            return problems
        headers = body.get("columnHeaders") or []
        for index, row in enumerate(body.get("rows") or []):
            if len(row) != len(headers):
                problems.append(f"$.rows[{index}]: {len(row)} values for {len(headers)} columns")
                continue
            for header, value in zip(headers, row, strict=True):
                check = self.DATA_TYPES.get(header.get("dataType"))
                if check is not None and not check(value):
                    problems.append(
                        f"$.rows[{index}] {header.get('name')}: expected {header['dataType']}"
                    )
        asked = (query.get("dimensions") or "").split(",") + (query.get("metrics") or "").split(",")
        named = [header.get("name") for header in headers]
        if named and named != [name for name in asked if name]:
            problems.append(f"$.columnHeaders: {named} are not the dimensions and metrics asked")
        return problems


class YouTube(Platform):
    """YouTube's two APIs: the Data API v3 (public figures, with the server's key) and
    the Analytics API v2 (private figures, with the owner's token), each by its own
    discovery document."""

    def __init__(self):
        self.data = Discovery("youtube.v3")
        self.analytics = YouTubeAnalytics("youtubeAnalytics.v2")

    @functools.cached_property
    def source(self):
        return f"{self.data.source}; {self.analytics.source}"

    def _api(self, path):
        return self.analytics if path.startswith("/v2/") else self.data

    def request(self, method, path, query):
        return self._api(path).request(method, path, query)

    def answer(self, method, path, status, body, query, followed=None):
        return self._api(path).answer(method, path, status, body, query, followed)


# ---------------------------------------------------------------------------------
# Facebook and Instagram: facebook-business's field lists


class Meta(Platform):
    GRAPH_PATH = re.compile(r"^/(v\d+\.\d+)/([^/]+)(?:/([a-z_]+))?$")
    # Graph API "Paginated results": cursor paging on every edge.
    PAGING = {"limit": "unsigned int", "after": "string", "before": "string"}

    def __init__(self, node):
        self.node = node  # the SDK class of the channel's node: "Page", "IGUser"

    @functools.cached_property
    def source(self):
        return f"facebook-business {version('facebook-business')} ({self.node} and its edges)"

    def versions_sent(self, recording):
        return {
            match.group(1)
            for exchange in recording["exchanges"]
            if (match := self.GRAPH_PATH.match(exchange["request"]["path"]))
        }

    @staticmethod
    @functools.cache
    def sdk_class(name):
        module = importlib.import_module(f"facebook_business.adobjects.{name.lower()}")
        return getattr(module, name)

    def target(self, edge):
        """(SDK class, edge parameter types) of ``self.node``'s ``edge``, or None."""
        getter = getattr(self.sdk_class(self.node), f"get_{edge}", None)
        if getter is None:
            return None
        text = inspect.getsource(getter)
        name = re.search(r"target_class=(\w+)", text).group(1)
        types = dict(re.findall(r"'(\w+)': '([\w ]+)',", text.split("enums = {")[0]))
        return self.sdk_class(name), types

    @staticmethod
    def fields_of(cls):
        return {
            value
            for key, value in vars(cls.Field).items()
            if not key.startswith("_") and isinstance(value, str)
        }

    def request(self, method, path, query):
        match = self.GRAPH_PATH.match(path)
        if method != "GET" or not match:
            return [f"{method} {path}: not a Graph node or edge read"]
        _version, _node_id, edge = match.groups()
        if edge:
            found = self.target(edge)
            if found is None:
                return [f"{self.node} has no edge {edge!r}"]
            cls, types = found
            types = {**self.PAGING, **types}
        else:
            cls, types = self.sdk_class(self.node), {}
        problems = []
        for name, value in query.items():
            if name == "fields":
                known = self.fields_of(cls)
                problems += [
                    f"{cls.__name__} has no field {field!r}"
                    for field in value.split(",")
                    if field not in known
                ]
            elif name not in types:
                problems.append(f"{path}: no parameter {name!r}")
            elif types[name] == "unsigned int" and not value.isdigit():
                problems.append(f"{path}: {name}={value!r} is not an unsigned integer")
        return problems

    def answer(self, method, path, status, body, query, followed=None):
        if status >= 400:
            return self._error(body)
        _version, _node_id, edge = self.GRAPH_PATH.match(path).groups()
        asked = set(query.get("fields", "").split(",")) - {""}
        if not edge:
            return self._object(self.sdk_class(self.node), body, asked, "$")
        cls, _types = self.target(edge)
        problems = _check_shape({"data": (list, True), "paging": (dict, False)}, body, "$")
        if problems:
            return problems
        for index, item in enumerate(body["data"]):
            problems += self._object(cls, item, asked, f"$.data[{index}]")
        paging = body.get("paging", {})
        problems += _check_shape(
            {"cursors": (dict, False), "next": (str, False), "previous": (str, False)},
            paging,
            "$.paging",
        )
        problems += _check_shape(
            {"before": (str, False), "after": (str, False)},
            paging.get("cursors", {}),
            "$.paging.cursors",
        )
        return problems

    # The SDK's field types that are plain JSON values; the others (objects, lists of
    # objects) are read by the SDK into its classes and are not checked here.
    def _object(self, cls, value, asked, where):
        if not isinstance(value, dict):
            return [f"{where}: expected an object"]
        known = self.fields_of(cls)
        types = cls._field_types
        problems = []
        for key, item in value.items():
            if key not in known:
                problems.append(f"{where}.{key}: {cls.__name__} has no such field")
                continue
            if asked and key != "id" and key not in asked:
                problems.append(f"{where}.{key}: answered without being asked for")
            kind = types.get(key)
            if kind in ("int", "unsigned int") and not _is_int(item):
                problems.append(f"{where}.{key}: expected an integer ({kind})")
            elif kind == "unsigned int" and item < 0:
                problems.append(f"{where}.{key}: expected an unsigned integer")
            elif kind == "string" and not isinstance(item, str):
                problems.append(f"{where}.{key}: expected a string")
            elif kind == "bool" and not isinstance(item, bool):
                problems.append(f"{where}.{key}: expected a boolean")
            elif kind == "datetime" and not _iso_datetime(item):
                problems.append(f"{where}.{key}: expected a date-time")
        return problems

    # The keys facebook_business.exceptions.FacebookRequestError reads, as listed in
    # the Graph API guide "Handling Errors" (developers.facebook.com/docs/graph-api/
    # guides/error-handling).
    ERROR = {
        "message": (str, True),
        "type": (str, True),
        "code": (int, True),
        "error_subcode": (int, False),
        "error_user_title": (str, False),
        "error_user_msg": (str, False),
        "is_transient": (bool, False),
        "fbtrace_id": (str, False),
    }

    def _error(self, body):
        if not isinstance(body, dict) or set(body) != {"error"}:
            return ["$: expected an object with only 'error'"]
        return _check_shape(self.ERROR, body["error"], "$.error")


# ---------------------------------------------------------------------------------
# X: xdk, generated from the X API v2 OpenAPI document


class X(Platform):
    @functools.cached_property
    def source(self):
        return f"xdk {version('xdk')} (generated from the X API v2 OpenAPI document)"

    @functools.cached_property
    def endpoints(self):
        """[(method, path regex, template, module, class, function)] for every endpoint
        of the SDK, read from its generated client modules (the text, not imported:
        a third of the time)."""
        import xdk

        found = []
        for client_file in sorted(Path(xdk.__file__).parent.glob("*/client.py")):
            module = f"xdk.{client_file.parent.name}.client"
            for block in re.split(r"\n(?=class |    def )", client_file.read_text()):
                cls = re.match(r"class (\w+)", block)
                if cls:
                    current = cls.group(1)
                    continue
                name = re.match(r"    def (\w+)\(", block)
                url = re.search(r'url = self\.client\.base_url \+ "([^"]+)"', block)
                verb = re.search(r"self\.client\.session\.(\w+)\(", block)
                if name and url and verb:
                    template = url.group(1)
                    pattern = re.compile(
                        "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
                    )
                    found.append(
                        (verb.group(1).upper(), pattern, template, module, current, name.group(1))
                    )
        return sorted(found, key=lambda endpoint: endpoint[2].count("{"))

    @staticmethod
    @functools.cache
    def _signature(module_name, class_name, function_name):
        """({query name: allowed values or None}, response model) of an SDK method."""
        module = importlib.import_module(module_name)
        function = getattr(getattr(module, class_name), function_name)
        text = inspect.getsource(function)
        hints = typing.get_type_hints(function, {**vars(typing), **vars(module)})
        query = {
            name: _literals(hints.get(argument))
            for name, argument in re.findall(r'params\["([\w.]+)"\] = .*?\b(\w+)\)?$', text, re.M)
        }
        return query, hints.get("return")

    def _find(self, method, path):
        for verb, pattern, template, *where in self.endpoints:
            if verb == method and pattern.match(path):
                return template, *self._signature(*where)
        return None

    def request(self, method, path, query):
        found = self._find(method, path)
        if found is None:
            return [f"{method} {path}: no such endpoint in X API v2"]
        template, parameters, _model = found
        problems = []
        for name, value in query.items():
            if name not in parameters:
                problems.append(f"{template}: no parameter {name!r}")
            elif parameters[name] is not None:
                problems += [
                    f"{template}: {name} has no value {one!r}"
                    for one in value.split(",")
                    if one not in parameters[name]
                ]
        return problems

    def answer(self, method, path, status, body, query, followed=None):
        from pydantic import TypeAdapter, ValidationError

        if status >= 400:
            return self._problem(body)
        _template, _parameters, model = self._find(method, path)
        try:
            parsed = TypeAdapter(model).validate_python(body, strict=True)
        except ValidationError as error:
            return _pydantic_errors(error)
        return _pydantic_extras(parsed)

    # The generic problem of the OpenAPI document (components/schemas/Problem, after
    # RFC 7807): ``type`` and ``title`` required, extension members allowed.
    PROBLEM = {
        "type": (str, True),
        "title": (str, True),
        "detail": (str, False),
        "status": (int, False),
    }

    def _problem(self, body):
        from pydantic import TypeAdapter, ValidationError
        from xdk import schemas

        if not isinstance(body, dict):
            return ["$: expected a problem object"]
        specific = {
            _literals(cls.model_fields["type"].annotation)[0]: cls
            for cls in typing.get_args(schemas.Problem)
        }
        if body.get("type") in specific:
            try:
                parsed = TypeAdapter(specific[body["type"]]).validate_python(body, strict=True)
            except ValidationError as error:
                return _pydantic_errors(error)
            return _pydantic_extras(parsed)
        problems = [
            line
            for line in _check_shape(self.PROBLEM, body, "$")
            if not line.endswith("not in the schema")
        ]
        kind = body.get("type", "")
        if kind != "about:blank" and not kind.startswith("https://api.x.com/2/problems/"):
            problems.append(f"$.type: {kind!r} is neither about:blank nor an X problem type")
        return problems


def _literals(annotation):
    """The allowed values of an Optional[List[Literal[...]]] parameter, or None."""
    if annotation is None:
        return None
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    for argument in typing.get_args(annotation):
        values = _literals(argument)
        if values:
            return values
    return None


# ---------------------------------------------------------------------------------
# Mastodon: Mastodon.py's entities and methods


class Mastodon(Platform):
    # RFC 7033 section 4.4 (the JRD), as docs.joinmastodon.org/spec/webfinger uses it.
    JRD = {
        "subject": (str, True),
        "aliases": (list, False),
        "properties": (dict, False),
        "links": (list, False),
    }
    JRD_LINK = {
        "rel": (str, True),
        "type": (str, False),
        "href": (str, False),
        "titles": (dict, False),
        "properties": (dict, False),
        "template": (str, False),
    }
    # docs.joinmastodon.org/entities/Error
    ERROR = {"error": (str, True), "error_description": (str, False)}

    @functools.cached_property
    def source(self):
        return f"Mastodon.py {version('Mastodon.py')} (entities and methods)"

    @functools.cached_property
    def methods(self):
        """[(method, path regex, {parameter: type}, return type)] of Mastodon.py."""
        import mastodon

        found = []
        for source_file in sorted(Path(mastodon.__file__).parent.glob("*.py")):
            module = importlib.import_module(f"mastodon.{source_file.stem}")
            for cls in vars(module).values():
                if not (inspect.isclass(cls) and cls.__module__ == module.__name__):
                    continue
                for function in vars(cls).values():
                    method = self._method(module, function)
                    if method:
                        found.append(method)
        # The most specific first: /accounts/lookup before /accounts/{id}.
        return sorted(found, key=lambda method: method[1].pattern.count("[^/]+"))

    @staticmethod
    def _method(module, function):
        if not inspect.isfunction(function):
            return None
        text = inspect.getsource(function)
        call = re.search(r"__api_request\('(\w+)', f?'(/api/[^']+)'", text)
        if not call:
            return None
        template = call.group(2)
        in_path = set(re.findall(r"\{(\w+)\}", template))
        pattern = re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$")
        try:
            hints = typing.get_type_hints(function, vars(module))
        except Exception:  # a hint Mastodon.py itself cannot resolve
            return None
        parameters = {
            name: hints.get(name)
            for name in inspect.signature(function).parameters
            if name != "self" and name not in in_path
        }
        # A parameter the method sends under another name (search_v2's ``result_type``
        # goes out as ``type``: ``params["type"] = params["result_type"]``).
        for sent, named in re.findall(r'params\["(\w+)"\] = params\["(\w+)"\]', text):
            if named in parameters:
                parameters[sent] = parameters.pop(named)
        return call.group(1), pattern, parameters, hints.get("return")

    def _find(self, method, path):
        for verb, pattern, parameters, returns in self.methods:
            if verb == method and pattern.match(path):
                return parameters, returns
        return None

    def request(self, method, path, query):
        if path == "/.well-known/webfinger":
            problems = [
                f"webfinger: no parameter {key!r}"
                for key in query
                if key not in ("resource", "rel")
            ]
            if not query.get("resource", "").startswith("acct:"):
                problems.append("webfinger: resource must be an acct: URI")
            return problems
        found = self._find(method, path)
        if found is None:
            return [f"{method} {path}: no such method in Mastodon.py"]
        parameters, _returns = found
        problems = []
        for name, value in query.items():
            if name not in parameters:
                problems.append(f"{path}: no parameter {name!r}")
                continue
            kinds = {parameters[name], *typing.get_args(parameters[name])}
            if bool in kinds and value not in ("true", "false"):
                problems.append(f"{path}: {name}={value!r} is not true or false")
            if int in kinds and str not in kinds and not value.isdigit():
                problems.append(f"{path}: {name}={value!r} is not an integer")
        return problems

    def answer(self, method, path, status, body, query, followed=None):
        if path == "/.well-known/webfinger":
            problems = _check_shape(self.JRD, body, "$")
            for index, link in enumerate(body.get("links", []) if isinstance(body, dict) else []):
                problems += _check_shape(self.JRD_LINK, link, f"$.links[{index}]")
            return problems
        if status >= 400:
            return _check_shape(self.ERROR, body, "$")
        _parameters, returns = self._find(method, path)
        return _entity(returns, body, "$", self._server_version(followed))

    @staticmethod
    def _server_version(named):
        """The Mastodon version a recording follows ("Mastodon 4.6 ..."), as a tuple."""
        found = re.search(r"Mastodon (?:API )?(\d+)\.(\d+)", named or "")
        return (int(found.group(1)), int(found.group(2)), 0) if found else None


@functools.cache
def _mastodon_added():
    """{entity: {field: version added}} from Mastodon.py's field docstrings ("Version
    history: * 4.2.0: added"), which follow docs.joinmastodon.org."""
    import ast

    from mastodon import return_types

    added = {}
    for node in ast.parse(Path(return_types.__file__).read_text()).body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields = added.setdefault(node.name, {})
        for index, item in enumerate(node.body[:-1]):
            following = node.body[index + 1]
            if isinstance(item, ast.AnnAssign) and isinstance(following, ast.Expr):
                text = str(getattr(following.value, "value", ""))
                found = re.search(r"\* (\d+)\.(\d+)\.(\d+): added", text)
                if found:
                    fields[item.target.id] = tuple(int(part) for part in found.groups())
    return added


@functools.cache
def _hints(kind):
    return typing.get_type_hints(kind)


def _required(kind, fields, server):
    """The fields of ``kind`` a server of version ``server`` always sends: not
    nullable in Mastodon.py and added at or before that version."""
    if server is None:
        return []
    added = _mastodon_added().get(kind.__name__, {})
    return [
        name
        for name, hint in fields.items()
        if name in added
        and added[name] <= server
        and not (typing.get_origin(hint) is typing.Union and type(None) in typing.get_args(hint))
    ]


def _entity(kind, value, where, server=None):
    """``value`` against a Mastodon.py type hint; with the ``server`` version, the
    fields a server of that version always sends are required."""
    from mastodon import types_base

    origin = typing.get_origin(kind)
    arguments = typing.get_args(kind)
    if origin is typing.Union:
        if value is None and type(None) in arguments:
            return []
        attempts = [
            _entity(one, value, where, server) for one in arguments if one is not type(None)
        ]
        return [] if any(not one for one in attempts) else min(attempts, key=len)
    if value is None:
        return [f"{where}: not nullable"]
    if kind in (types_base.MaybeSnowflakeIdType, types_base.IdType) or kind is str:
        return [] if isinstance(value, str) else [f"{where}: expected a string"]
    if kind is bool:
        return [] if isinstance(value, bool) else [f"{where}: expected a boolean"]
    if kind is int:
        return [] if _is_int(value) else [f"{where}: expected an integer"]
    if kind is float:
        return (
            []
            if isinstance(value, int | float) and not isinstance(value, bool)
            else [f"{where}: expected a number"]
        )
    if kind is datetime.datetime:
        return [] if _iso_datetime(value) else [f"{where}: expected a date or date-time"]
    list_types = (types_base.PaginatableList, types_base.NonPaginatableList, list)
    if (origin or kind) in list_types:
        if not isinstance(value, list):
            return [f"{where}: expected a list"]
        problems = []
        for index, item in enumerate(value):
            problems += (
                _entity(arguments[0], item, f"{where}[{index}]", server) if arguments else []
            )
        return problems
    if inspect.isclass(kind) and issubclass(kind, types_base.AttribAccessDict):
        if not isinstance(value, dict):
            return [f"{where}: expected a {kind.__name__}"]
        fields = _hints(kind)
        added = _mastodon_added().get(kind.__name__, {})
        problems = [
            f"{where}.{name}: required (sent since Mastodon {'.'.join(map(str, added[name]))})"
            for name in _required(kind, fields, server)
            if name not in value
        ]
        for key, item in value.items():
            if key not in fields:
                problems.append(f"{where}.{key}: {kind.__name__} has no such field")
            else:
                problems += _entity(fields[key], item, f"{where}.{key}", server)
        return problems
    return []  # a type Mastodon.py leaves open (Any, Enum-like strings...)


# ---------------------------------------------------------------------------------
# LinkedIn: written out from the documentation (no package ships a schema)


class LinkedIn(Platform):
    source = (
        "written out from learn.microsoft.com/linkedin/marketing/community-management/"
        "organizations/organization-lookup-api (networkSizes) and "
        "learn.microsoft.com/linkedin/shared/api-guide/concepts/error-handling"
    )
    NETWORK_SIZES = re.compile(r"^/rest/networkSizes/urn:li:organization:\d+$")
    ANSWER = {"firstDegreeSize": (int, True)}
    ERROR = {
        "status": (int, True),
        "serviceErrorCode": (int, False),
        "code": (str, False),
        "message": (str, True),
    }

    def versions_sent(self, recording):
        return {
            exchange["request"]["headers"]["linkedin-version"]
            for exchange in recording["exchanges"]
            if "linkedin-version" in exchange["request"].get("headers", {})
        }

    def request(self, method, path, query):
        if method != "GET" or not self.NETWORK_SIZES.match(unquote(path)):
            return [f"{method} {path}: not the organization networkSizes finder"]
        problems = [f"networkSizes: no parameter {key!r}" for key in query if key != "edgeType"]
        if query.get("edgeType") != "COMPANY_FOLLOWED_BY_MEMBER":
            problems.append("networkSizes: edgeType must be COMPANY_FOLLOWED_BY_MEMBER")
        return problems

    def answer(self, method, path, status, body, query, followed=None):
        return _check_shape(self.ERROR if status >= 400 else self.ANSWER, body, "$")


# ---------------------------------------------------------------------------------


@functools.cache
def platforms():
    return {
        "bluesky": Bluesky(),
        "youtube": YouTube(),
        "facebook": Meta("Page"),
        "instagram": Meta("IGUser"),
        "x": X(),
        "mastodon": Mastodon(),
        "linkedin": LinkedIn(),
    }


def check_sent(platform, request):
    """Problems with an httpx request a client sent to ``platform``."""
    query = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
    return platforms()[platform].request(request.method, request.url.path, query)


def check_recording(platform, recording):
    """Problems with a recording (its parsed JSON) of ``platform``: its statement of the
    documentation it follows, each recorded request, each answer."""
    contract = platforms().get(platform)
    if contract is None:
        return [f"no contract for the platform {platform!r}: add one to contracts.py"]
    problems = _check_follows(recording.get("follows"))
    named = (recording.get("follows") or {}).get("version") or ""
    problems += [
        f"follows.version does not name {sent}, the version the requests ask for"
        for sent in sorted(contract.versions_sent(recording))
        if sent not in str(named)
    ]
    for number, exchange in enumerate(recording.get("exchanges", []), start=1):
        sent, answer = exchange["request"], exchange["response"]
        method, path = sent.get("method", "GET"), sent["path"]
        query = {key: str(value) for key, value in sent.get("query", {}).items()}
        found = [
            f"exchange {number} request: {line}" for line in contract.request(method, path, query)
        ]
        problems += found
        if found or "raise" in answer:
            continue
        status = answer.get("status", 200)
        if "json" in answer:
            answer_problems = contract.answer(
                method, path, status, answer["json"], query, followed=named
            )
        elif status >= 400 and not answer.get("text"):
            answer_problems = []  # an error without a body: nothing to check
        else:
            answer_problems = ["the answer is not JSON"]
        off_schema = answer.get("off_schema")
        if off_schema and not answer_problems:
            problems.append(
                f"exchange {number}: marked off_schema ({off_schema}) but matches the schema"
            )
        elif not off_schema:
            problems += [f"exchange {number} answer {line}" for line in answer_problems]
    return problems


def _check_follows(follows):
    if not isinstance(follows, dict):
        return ["no 'follows': name the documentation pages and the version followed"]
    pages = follows.get("pages")
    problems = []
    if (
        not isinstance(pages, list)
        or not pages
        or not all(isinstance(page, str) and page.startswith("https://") for page in pages)
    ):
        problems.append("follows.pages: a list of the documentation pages (https:// addresses)")
    if not isinstance(follows.get("version"), str) or not follows["version"].strip():
        problems.append("follows.version: the API version the recording follows")
    return problems
