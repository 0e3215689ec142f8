"""Facebook addresses that name a Page by its numeric id get the one canonical form the
registry now gives every such address, ``https://www.facebook.com/profile.php?id=<ID>``,
so that two spellings of one Page are one account and the collector can read the id.

Before, ``facebook.com/<ID>`` and ``facebook.com/<Name>-<ID>`` were kept as they were typed
(a handle, for the registry), the same Page as ``profile.php?id=<ID>`` under another
address. A channel whose new address another channel already has is left as it is: the
office decides which of the two entries is the right one.

Not mended, because the id was never kept: ``facebook.com/pages/<Name>/<ID>`` and
``facebook.com/pg/<name>/…`` were stored as ``https://www.facebook.com/pages`` and
``…/pg``; such a channel's address must be entered again.
"""

import re

from django.db import migrations

# Frozen copies of accounts.platforms' reading: migrations must not change with the code.
_OLD_FORM = re.compile(r"^https://www\.facebook\.com/(?:[0-9]+|.+-([0-9]{5,}))$")


def page_id(url):
    """The Page id of an address stored in one of the old forms, else None."""
    match = _OLD_FORM.match(url)
    if not match:
        return None
    return match[1] or url.rsplit("/", 1)[1]


def canonical_facebook_ids(apps, schema_editor):
    Channel = apps.get_model("accounts", "Channel")
    facebook = Channel.objects.filter(platform="facebook")
    taken = set(facebook.values_list("profile_url", flat=True))
    for channel in facebook.exclude(profile_url__contains="profile.php").only(
        "pk", "profile_url", "handle"
    ):
        number = page_id(channel.profile_url)
        if number is None:
            continue
        url = f"https://www.facebook.com/profile.php?id={number}"
        if url in taken:
            continue
        old_name = channel.profile_url.rsplit("/", 1)[1]
        handle = "" if channel.handle == old_name else channel.handle
        Channel.objects.filter(pk=channel.pk).update(profile_url=url, handle=handle)
        taken.add(url)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_channel_platform_idx"),
    ]

    operations = [
        migrations.RunPython(canonical_facebook_ids, migrations.RunPython.noop),
    ]
