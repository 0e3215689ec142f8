"""The registry records where credentials are kept, never the credentials."""

import pytest

from accounts.forms import looks_like_password


@pytest.mark.parametrize(
    "value",
    [
        "password: Summer2026",
        "Lösenord=kanelbulle",
        "pwd = hunter2",
        "Tr0ub4dor&3",
        "xK9#mQ2$vL",
        "Kx82jdLq0Z",
    ],
)
def test_values_that_look_like_a_password_are_caught(value):
    assert looks_like_password(value)


@pytest.mark.parametrize(
    "value",
    [
        "Vault: Social/Instagram/Library",
        "KeePass entry 'Library Instagram'",
        "1Password > Communications > Engineering X",
        "comms-office@fictional-university.example",
        "Bitwarden: eng_youtube",
        "SharedVault2026",
        "the communications office's safe",
        "",
    ],
)
def test_names_of_places_where_credentials_are_kept_are_accepted(value):
    assert not looks_like_password(value)
