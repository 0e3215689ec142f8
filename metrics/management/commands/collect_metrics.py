"""Collect channels' figures now, in this process, and say how it went.

    python manage.py collect_metrics                      # every collectable channel, today
    python manage.py collect_metrics --platform mastodon
    python manage.py collect_metrics --channel 12 --date 2026-11-20 --force

One try per channel (no retries: run it again), the rate limits of the workers apply.
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
        for each in channels:
            if not force and collector.already_collected(each.pk, day):
                outcomes["already collected"] += 1
                self.stdout.write(f"  {each.pk:>6}  {each}: already collected for {day}")
                continue
            attempt = collector.collect(each, day)
            outcomes[attempt.outcome] += 1
            detail = f" ({attempt.http_status}) {attempt.message}" if attempt.message else ""
            self.stdout.write(f"  {each.pk:>6}  {each}: {attempt.outcome}{detail}")

        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(
            self.style.SUCCESS(f"{len(channels)} channels for {day}: {summary or 'nothing to do'}")
        )
