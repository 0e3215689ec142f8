"""Who may do what with a channel's API token. Everyone who may edit the channel
(``Channel.can_edit``: its owner and deputy, and the office) may connect it by signing
in to the platform and remove its token; pasting a token is the administrators' fallback
where the platform can be signed in to, and open to all of them where it cannot."""

from core import roles
from metrics import oauth
from metrics.forms import TOKEN_PLATFORMS


def may_connect(user, channel):
    return channel.can_edit(user) and oauth.platform_for(channel.platform) is not None


def may_paste_token(user, channel):
    if channel.platform not in TOKEN_PLATFORMS or not channel.can_edit(user):
        return False  # YouTube is connected for private figures, never pasted
    return roles.is_reviewer(user) or oauth.platform_for(channel.platform) is None
