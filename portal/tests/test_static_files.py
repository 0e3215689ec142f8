"""core.static_files: production's static storage gives every file the address
WhiteNoise's storage gives it, worked out once per process."""

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from core.static_files import StaticFilesStorage


@pytest.fixture
def static_root(tmp_path):
    source = tmp_path / "source" / "portal"
    source.mkdir(parents=True)
    (source / "portal.css").write_text("body { color: black; }\n")
    (source / "portal.js").write_text("console.log('portal');\n")
    return tmp_path


def _collect(storage, source):
    files = {}
    for path in sorted(source.rglob("*")):
        if path.is_file():
            name = str(path.relative_to(source))
            if storage.exists(name):  # as collectstatic does
                storage.delete(name)
            with path.open("rb") as f:
                storage.save(name, f)
            files[name] = (storage, name)
    list(storage.post_process(files))


@override_settings(DEBUG=False)
def test_addresses_are_whitenoises_and_worked_out_once(static_root, monkeypatch):
    target = static_root / "static"
    storage = StaticFilesStorage(location=target, base_url="/static/")
    _collect(storage, static_root / "source")
    reference = CompressedManifestStaticFilesStorage(location=target, base_url="/static/")
    for name in ["portal/portal.css", "portal/portal.js", "portal/portal.css#part"]:
        assert storage.url(name) == reference.url(name)
        assert storage.url(name).startswith("/static/portal/portal.")
        assert storage.url(name) != f"/static/{name}"  # hashed

    asked = []
    original = CompressedManifestStaticFilesStorage.url

    def counting(self, name, force=False):
        asked.append(name)
        return original(self, name, force)

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", counting)
    for _ in range(3):
        storage.url("portal/portal.css")
    assert asked == []  # all three from the memo
    storage.url("portal/portal.css", force=True)
    assert asked == ["portal/portal.css"]


@override_settings(DEBUG=False)
def test_a_missing_file_fails_every_time_and_a_new_manifest_is_read_again(static_root):
    target = static_root / "static"
    storage = StaticFilesStorage(location=target, base_url="/static/")
    _collect(storage, static_root / "source")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("portal/missing.css")
    before = storage.url("portal/portal.css")

    (static_root / "source" / "portal" / "portal.css").write_text("body { color: red; }\n")
    _collect(storage, static_root / "source")
    after = storage.url("portal/portal.css")
    assert after != before
    assert after == CompressedManifestStaticFilesStorage(location=target, base_url="/static/").url(
        "portal/portal.css"
    )
