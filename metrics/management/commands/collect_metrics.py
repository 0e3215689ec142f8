"""Collect channels' figures now, in this process, and say how it went.

    python manage.py collect_metrics                      # every collectable channel, today
    python manage.py collect_metrics --platform mastodon
    python manage.py collect_metrics --channel 12 --date 2026-11-20 --force

One try per channel (no retries: run it again), the rate limits of the workers apply.
Channels of a platform that answers for many at once (X) are asked together, in groups
of its batch size, as the nightly collection asks them.
"""

from collections import Counter
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Channel
from metrics import collector
from metrics.providers import PROVIDERS, provider_for


def iso_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Collect follower and engagement figures now, one try per channel, with a summary."

    def add_arguments(self, parser):
        parser.add_argument("--channel", type=int, help="only this channel (its id)")
        parser.add_argument(
            "--platform", choices=sorted(PROVIDERS), help="only channels on this platform"
        )
        parser.add_argument("--date", type=str, help="the day to record (default: today)")
        parser.add_argument(
            "--force", action="store_true", help="collect even if the day is already collected"
        )

    def handle(self, *args, channel=None, platform=None, date=None, force=False, **options):
        day = iso_date(date) if date else timezone.localdate()
        if channel is not None:
            found = Channel.objects.select_related("api_token").filter(pk=channel).first()
            if found is None:
                raise CommandError(f"There is no channel {channel}.")
            if provider_for(found) is None:
                raise CommandError(
                    f"{found} cannot be collected: no client for the platform, or "
                    "the channel lacks what its client needs (key, token, id or handle)."
                )
            channels = [found]
        else:
            channels = collector.collectable_channels(platform=platform)

        outcomes = Counter()
        self.stdout.write(f"Collecting {len(channels)} channels for {day}:")
        pending = []
        for each in channels:
            if not force and collector.already_collected(each.pk, day):
                outcomes["already collected"] += 1
                self.stdout.write(f"  {each.pk:>6}  {each}: already collected for {day}")
            else:
                pending.append(each)
        singles, groups = collector.batches(pending)
        by_pk = {each.pk: each for each in pending}
        attempts = [collector.collect(each, day) for each in singles]
        for group in groups:
            attempts.extend(collector.collect_batch(group, day))
        for attempt in sorted(attempts, key=lambda attempt: attempt.channel_id):
            outcomes[attempt.outcome] += 1
            detail = f" ({attempt.http_status}) {attempt.message}" if attempt.message else ""
            self.stdout.write(
                f"  {attempt.channel_id:>6}  {by_pk[attempt.channel_id]}: {attempt.outcome}{detail}"
            )

        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(
            self.style.SUCCESS(f"{len(channels)} channels for {day}: {summary or 'nothing to do'}")
        )
