"""The social media guidelines of the demo's Fictional University, as data.

seed_demo loads them: each guideline by its slug, with its versions, and the
principles by their text. The text is the demo university's own; the facts behind it
(what Nordic universities ask of their official channels) come from public guidelines,
but none of their wording.

GUIDELINES holds the current text of each guideline. A guideline with "earlier"
versions had those published first, oldest first; its current version then carries a
"change_note" saying what changed.
"""

HOST = "fictional-university.example"
SOCIAL_MEDIA_MAILBOX = f"social-media@{HOST}"

OFFICIAL_VOICE = f"""\
## Two different roles

Many of us use social media in our own time, and some of us also run an account for a
school, a department, a project or a service. These are two different roles, and a
reader should never have to guess which one they are looking at.

- **As a private person** you speak for yourself. You are welcome to take part in
  public debate, including about your own subject. Remember that readers who know
  where you work may still take your words as the university's view, so say so when
  an opinion is only yours, and keep the university's logo off your personal profiles.
- **On an official account** you speak for the university. Whatever you publish there
  is part of the university's communication, the same laws and rules apply as on our
  website, and your head of unit answers for it.

## Say who you are

An official account shows in its name, picture and profile text which part of the
university runs it, and links to that unit's web page. Sign replies with your first
name and unit ("Sara, Library") so that people know a person is answering. Never use a
made-up identity, and never post official content from your personal account.

## What does not belong in a post

- **Confidential matters**: anything covered by confidentiality, cases still being
  decided (admissions, appointments, disciplinary matters) and research results you
  have not been cleared to share.
- **Pictures of people without their consent**: before you publish a photo, film or
  recording in which someone can be recognised, ask them, and keep the consent with
  the picture. At events, tell the audience that pictures are being taken and give
  them an easy way to stay out of them. For anyone under 18, ask a parent or guardian.
- **More personal data than the post needs**: see *Data protection on social media*.
- **Other people's work**: use images, music and text only with permission, and
  credit the creator.

## Conflicts of interest

If you post about something you have a personal stake in, such as a company you
advise, a relative's project or a supplier you are negotiating with, say so openly or
leave the post to a colleague. Anything paid for or sponsored is marked as an
advertisement in the post itself.

## Tone

Write as a helpful colleague who knows the subject, not as a press release. Be
friendly and plain; a light touch of humour is fine when it suits the moment, but
never at anyone's expense. Internal disagreements are settled at work, not on an
official channel.

## Do not argue

Criticism will come, some of it fair. Answer a factual question once, with the facts
and a link. If the exchange turns into a quarrel, stop replying in public and offer to
continue by e-mail or phone. Do not hide a comment only because it is critical. If
you are harassed, or a post sets off a storm, leave the thread as it is and get in
touch with the communications office at {SOCIAL_MEDIA_MAILBOX} first.

## Correct mistakes openly

When something you published is wrong, fix it where people can see it: edit the post
and add a line saying what changed, or reply with the correction. Do not quietly
delete a post that others have already shared or answered, unless it breaks the law
or exposes someone's personal data; then remove it and briefly say why.
"""

CHANNELS_PURPOSE = """\
## Start with a purpose

An official channel is opened for a reason that is written down, and registered in
the portal, before the first post:

- **Purpose**: what the channel is for and which of the unit's goals it serves.
- **Target audience**: whom you want to reach (prospective master's students abroad,
  say, or alumni working in industry) and why they are on this platform.
- **Measurable goals**: for example "200 open-day sign-ups through the channel" or
  "nine questions in ten answered the day they are asked". A follower count alone is
  not a goal.

Look in the registry first. If the university already reaches the same people
somewhere, post there rather than opening another channel.

## Plan for years, and staff it

A channel is a commitment for years, not for one campaign. Keep a content plan for at
least the coming six months and set aside working time for the channel every week.
Every channel has a **responsible owner** and a **deputy**, both employees and both
named in the registry; the deputy covers holidays and absences. When either of them
leaves or changes job, hand the channel over in the portal before they go.
"""

ANSWER_WITHIN_48_HOURS = """\
## Answer within 48 hours

Questions and comments get an answer within 48 hours, holidays included: that is what
the deputy is for. If you do not know the answer yet, say that you are finding out.
"""

ANSWER_SAME_DAY = """\
## Answer the same working day

A question asked on a working day gets a reply that same day, even if the reply only
says when a full answer will come. Messages that arrive in the evening or at the
weekend are answered on the next working day. Say in the profile text when the
channel is staffed.
"""

CHANNELS_REST = f"""\
## Moderation and the terms of use

Every channel's profile links to the university's terms of use, which list what we
remove: personal attacks, threats, discrimination, spam, other people's personal data
and anything unlawful. Read new comments at least once every working day. Remove only
what breaks the terms, keep a screenshot and a note of why, and report threats to
{SOCIAL_MEDIA_MAILBOX}.

## Accessible to everyone

- Caption every video, and correct automatic captions before publishing.
- Give every image alt text that says what matters in it.
- Write in plain language, with short sentences and no unexplained abbreviations.
- Never put important information only inside an image.
- Capitalise each word in hashtags (#OpenDay) so that screen readers can say them.

Anything people need to know is published on the university's website as well; a
post on a platform is an extra way to reach them, never the only one.

## Visual identity

Use the profile pictures, colours and templates from the communications office, and
include "Fictional University" in the channel's name.

## Measure and learn

Every quarter, compare the channel with its goals: reach, engagement, clicks,
questions answered and what people keep asking. Stop doing what does not work. The
yearly recertification in the portal is where you show that the channel still earns
its place.

## Close a channel that has done its job

An account nobody posts on tells visitors that nobody is listening. When a channel no
longer serves its purpose, or nobody has time for it, close it rather than leaving it
dormant: post a last message telling followers where to find us, then close it in
the portal.

## Keep the account safe

- Keep the login in the university's password manager, where owner and deputy can
  both reach it, and never send it by e-mail or chat.
- Turn on two-factor authentication on a university device, not a private phone.
- Use a shared university mailbox as the recovery address.
- Change the password whenever someone with access leaves.
"""

CRISIS = f"""\
## What counts as a crisis

A crisis is an event that threatens people's safety, the university's work or the
public's trust in it, and that calls for one coordinated voice. Examples: fire,
violence or a threat on campus; a serious accident on a field trip; a cyber attack or
a long outage of the university's systems; a death in the university community; a
serious accusation in the news. When in doubt, treat it as a crisis and call the
communications office.

## First, pause everything planned

The moment a crisis is declared, pause every planned and scheduled post on the
channels you are responsible for, in the scheduling tools too, and stop paid
promotion. A cheerful campaign post in the middle of an emergency hurts people and
the university. Resume only after the crisis notice has ended.

## Only the designated people speak

During a crisis the university speaks through its crisis management team and the
communications office, on the website and the main university accounts. On your
channel:

- share or link to the official updates, and post nothing else about the event;
- do not answer questions about the crisis yourself; refer them to the official page,
  for example: "Thank you for asking. The latest information is at
  {HOST}/news and is updated as soon as we know more.";
- send journalists to the press office.

If you see something happen, call the emergency number first. Posting can wait.

## Do not speculate

Rumours travel faster than facts. Do not guess at causes or numbers, do not pass on
unconfirmed reports, even from accounts you trust, and do not publish pictures from
the scene or the names of anyone involved. Answer false claims only with a link to
the official information.

## The crisis notice in the portal

When the communications office declares a crisis, it publishes a crisis notice in
this portal:

- The notice is shown in red at the top of every page for everyone signed in, for as
  long as the crisis lasts.
- It is e-mailed at once to the responsible owner and deputy of every active or
  dormant channel.
- Press **I have read this** on the notice to acknowledge it. The office follows who
  has acknowledged and phones those who have not.

When the office ends the notice, it disappears from the pages.

## After the crisis

- Go through your scheduled posts before you resume: some will need new wording,
  some should be dropped.
- Keep answering follow-up questions with links to the official information.
- Note what happened on your channel (what people asked, what you removed, what
  worked) and keep screenshots for the office's review of the crisis.
"""

DATA_PROTECTION = f"""\
## The basics

The General Data Protection Regulation (GDPR) covers what we publish on social media
and what people send us there. As a public body, the university mostly relies on its
public task, telling people about its education and research, as the legal basis.
Where that is not enough, as for a portrait where a person is the subject, we ask for
consent. The usual rules apply: a clear purpose, no more data than that purpose needs,
and nothing kept longer than necessary. The data protection officer answers questions
at privacy@{HOST}.

## Who is responsible for what

The company behind a platform decides on its own how it uses its users' data, for
profiling and advertising, so it is a controller in its own right. It is not our
processor: we cannot give it instructions. The Court of Justice of the EU has also
held that an organisation running a page shares responsibility with the platform for
the visitor statistics collected through that page. This is why every new channel is
assessed before it opens, and why the university's privacy notice covers our
channels. Scheduling and analytics tools that we pay for are our processors and need
a data processing agreement.

## Transfers to third countries

Most platforms are based outside the EU or move data out of it. In the Schrems II
ruling of July 2020, the Court struck down the EU-US Privacy Shield and required a
case-by-case check of the protection data gets in the receiving country. A newer
EU-US framework now covers certified US companies, but not every platform or every
country. So:

- a request for a new channel states where the platform processes data and on what
  basis, and the office and the data protection officer assess it;
- for new services, prefer options that keep data in the EU, such as the
  university's own Mastodon server;
- never make an account on a platform a condition for using a university service.

## Keep personal data out of posts and messages

- Name staff in their working role when the post needs it; leave out students'
  names, results and circumstances unless they have agreed.
- Never publish sensitive data: health, ethnic origin, religion, political views,
  sexual orientation.
- Do not post screenshots of messages or e-mails that show names.
- If someone posts another person's personal data, or their own sensitive data, in a
  comment, hide it and point them to a safer way to reach us.

## No case matters in direct messages

Direct messages are for quick, general questions. Admissions, exams, complaints,
grades or anything that needs an identity check or becomes a case are not handled
there. Reply with where to turn instead, such as the right e-mail address or form. A
message to an official account can be an official record: when one starts a matter,
forward it to the registrar.

## Retention

- Delete exported comment lists, statistics with names and other local copies once
  they have served their purpose.
- Keep moderation screenshots for twelve months, then delete them.
- When a channel closes, the communications office archives what the records
  schedule requires before the account is removed.
"""

GUIDELINES = [
    {
        "slug": "official-voice",
        "ordering": 10,
        # Advice for every member of staff on social media, not only channel owners.
        "applies_to_owners": False,
        "title": "Speaking as an official voice",
        "summary": (
            "How speaking for the university differs from posting as a private person: "
            "say who you are, keep confidential matters and other people's pictures out, "
            "stay calm and correct mistakes in the open."
        ),
        "body": OFFICIAL_VOICE,
    },
    {
        "slug": "official-channels",
        "ordering": 20,
        "applies_to_owners": True,
        "title": "Principles for official channels",
        "summary": (
            "What every official channel needs: a purpose, an audience and goals, an owner "
            "and a deputy with time for it, quick answers, moderation, accessibility, "
            "a safe login, and closing when its work is done."
        ),
        "body": CHANNELS_PURPOSE + "\n" + ANSWER_SAME_DAY + "\n" + CHANNELS_REST,
        "change_note": "Answer questions the same working day instead of within 48 hours.",
        "earlier": [
            {
                "title": "Principles for official channels",
                "summary": (
                    "What every official channel needs: a purpose, an audience and goals, "
                    "an owner and a deputy with time for it, answers within 48 hours, "
                    "moderation, accessibility, a safe login, and closing when its work "
                    "is done."
                ),
                "body": CHANNELS_PURPOSE + "\n" + ANSWER_WITHIN_48_HOURS + "\n" + CHANNELS_REST,
            }
        ],
    },
    {
        "slug": "crisis",
        "ordering": 30,
        "applies_to_owners": True,
        "title": "When a crisis happens",
        "summary": (
            "In a crisis, pause every planned post at once, leave the talking to the "
            "designated people, refer questions, do not speculate, and acknowledge the "
            "crisis notice in the portal."
        ),
        "body": CRISIS,
    },
    {
        "slug": "data-protection",
        "ordering": 40,
        "applies_to_owners": True,
        "title": "Data protection on social media",
        "summary": (
            "The GDPR on the university's channels: who is responsible for what, data "
            "leaving the EU, as little personal data as possible, no case matters in "
            "direct messages, and how long to keep things."
        ),
        "body": DATA_PROTECTION,
    },
]

# Short rules shown as a list on the guideline pages, each pointing to the guideline
# that explains it.
PRINCIPLES = [
    {
        "text": "Make a long-term plan",
        "explanation": (
            "Know the channel's purpose, audience and goals, and make sure there is time "
            "to keep it going for years."
        ),
        "guideline": "official-channels",
    },
    {
        "text": "Say who you are",
        "explanation": (
            "Show which part of the university is speaking, and never post under a "
            "made-up identity."
        ),
        "guideline": "official-voice",
    },
    {
        "text": "Answer the same day",
        "explanation": (
            "A question asked on a working day gets a reply before the day is over, even "
            "if it only says when a full answer will come."
        ),
        "guideline": "official-channels",
    },
    {
        "text": "Check facts and correct mistakes openly",
        "explanation": (
            "Verify before you publish, and when something is wrong, fix it where people "
            "can see what changed."
        ),
        "guideline": "official-voice",
    },
    {
        "text": "In an emergency, only the designated people speak",
        "explanation": (
            "Pause planned posts and point everyone to the official updates instead of "
            "commenting yourself."
        ),
        "guideline": "crisis",
    },
    {
        "text": "Respect people's privacy",
        "explanation": (
            "Ask before publishing pictures of people, and share no more personal data "
            "than a post needs."
        ),
        "guideline": "data-protection",
    },
    {
        "text": "Make it accessible to everyone",
        "explanation": "Caption videos, describe images and write in plain language.",
        "guideline": "official-channels",
    },
]

# The principles' texts in Swedish, for a later translation of the demo.
PRINCIPLES_SV = {
    "Make a long-term plan": "Planera för lång sikt",
    "Say who you are": "Tala om vem du är",
    "Answer the same day": "Svara samma dag",
    "Check facts and correct mistakes openly": "Kontrollera fakta och rätta fel öppet",
    "In an emergency, only the designated people speak": (
        "Vid en kris uttalar sig bara de som har utsetts till det"
    ),
    "Respect people's privacy": "Respektera människors integritet",
    "Make it accessible to everyone": "Gör det tillgängligt för alla",
}
