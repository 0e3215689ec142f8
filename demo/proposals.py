"""The demo proposals for new official accounts (seed_demo), one or more in every
state of a proposal. The texts are the portal's own, about the fictional university.

Each proposal: submitter, unit, platform, name, profile, owner and deputy (usernames
without "demo-"), languages, state, why a new channel is needed (when similar channels
exist), the answers by checklist item key, goals as (measure, target, days from the
day of seeding) and the review comments its history needs.
"""

PROPOSALS = [
    {
        "name": "Engineering Research Outreach",
        "submitter": "staff",
        "unit": "School of Engineering",
        "platform": "instagram",
        "profile": "@fictionaluni.engresearch",
        "owner": "staff",
        "deputy": "staff2",
        "languages": "English",
        "state": "draft",
        "created_days_ago": 3,
        "why_new_channel": (
            "The school's Instagram account is about studying here and reaches "
            "prospective students. This one shows research in progress, for the public "
            "and for funders, and is run by the research office rather than admissions."
        ),
        "answers": {
            "need": (
                "We searched the registry for School of Engineering channels. The school's "
                "Instagram account posts mostly about admissions and campus life, and the "
                "Robotics Lab's YouTube channel has not posted for a long time. Nobody "
                "shows our research to the general public in short, visual stories."
            ),
            "background": (
                "Our research groups produce striking images every week (test rigs, "
                "microscope pictures, field trials) that never leave the lab. The new "
                "research strategy asks every school to make its research visible outside "
                "academia."
            ),
            "goals": (
                "Show one research project a week in a way that a curious teenager can "
                "follow. Bring visitors to the school's research pages and open days, and "
                "make it easier for companies to find groups to work with."
            ),
            "audience": (
                "Adults interested in science and technology in the region, upper "
                "secondary school students aged 16 to 19, and engineers in local industry. "
                "Mostly in our own country, some international followers."
            ),
            "resources": (
                "Siri posts twice a week, about four hours a week in total. Stig stands in "
                "during holidays and checks messages on Mondays and Thursdays. Each "
                "research group appoints one contact who sends material."
            ),
            "moderation": (
                "We read comments every working day and answer questions within one "
                "working day. Hateful or off-topic comments are hidden, following the "
                "university's terms of use, and serious cases go to the communications "
                "office."
            ),
            "follow_up": (
                "Every month we look at reach, saves and link clicks per post, and twice a "
                "year we compare followers and visits to the research pages against our "
                "goals."
            ),
            "visual_identity": (
                "We use the university's Instagram templates, its colours and the "
                "engineering sub-brand for the profile picture. Photos follow the image "
                "guide: real people, real labs, no stock images."
            ),
            "data_protection": (
                "We publish people only with their written consent, which the research "
                "group keeps. We never ask for personal data in comments or messages. "
                "Instagram transfers data to the USA; our privacy notice says so and links "
                "to the university's data protection page."
            ),
            "accessibility": (
                "Every image gets an alternative text, every video has burnt-in captions "
                "in English, and we write in plain language without unexplained jargon."
            ),
        },
        "goals": [("followers", 800, 365), ("posts_per_week", 2, 120)],
    },
    {
        "name": "Computer Science on LinkedIn",
        "submitter": "staff",
        "unit": "Department of Computer Science",
        "platform": "linkedin",
        "profile": "linkedin.com/showcase/fictionaluni-cs",
        "owner": "staff",
        "deputy": "staff2",
        "languages": "English",
        "state": "awaiting_unit_head",
        "created_days_ago": 20,
        "submitted_days_ago": 4,
        "why_new_channel": "",
        "answers": {
            "need": (
                "The department has Mastodon and Bluesky accounts for research news, but "
                "nothing on LinkedIn, where our alumni and industry partners are. The "
                "university page is too broad for department news and job postings."
            ),
            "background": (
                "Companies ask us where to find our master's theses and internship "
                "calls. The department's industry advisory board recommended a LinkedIn "
                "showcase page under the university's page."
            ),
            "goals": (
                "Find partners for thesis projects and internships, keep alumni in touch "
                "with the department, and announce industry seminars."
            ),
            "audience": (
                "Software professionals and recruiters in the region, our alumni, and "
                "master's students looking for thesis projects."
            ),
            "resources": (
                "Siri posts once or twice a week, about two hours a week. Stig is deputy "
                "and covers holidays. The director of studies sends thesis calls."
            ),
            "moderation": (
                "Comments are checked daily. Job spam and advertising are removed, and "
                "questions about admission are answered with a link to the study "
                "guidance service."
            ),
            "follow_up": (
                "Monthly: followers, impressions and clicks on thesis calls. Every term "
                "we count how many thesis projects came through the page."
            ),
            "visual_identity": (
                "The showcase page uses the university's logo with the department name, "
                "the standard banner and the LinkedIn post templates from the "
                "communications office."
            ),
            "data_protection": (
                "We do not export follower data or use LinkedIn's lead forms. Posts about "
                "people are made with their consent. The privacy notice on the page "
                "explains that LinkedIn processes data outside the EU/EEA."
            ),
            "accessibility": (
                "Images have alternative texts, documents we link to are accessible PDFs "
                "or web pages, and videos are captioned."
            ),
        },
        "goals": [("followers", 1500, 365), ("engagement_rate", 4, 180)],
    },
    {
        "name": "Engineering Podcast",
        "submitter": "staff2",
        "unit": "School of Engineering",
        "platform": "youtube",
        "profile": "@fictionaluni-engpodcast",
        "owner": "staff2",
        "deputy": "staff4",
        "languages": "English, Swedish",
        "state": "in_review",
        "created_days_ago": 30,
        "submitted_days_ago": 12,
        "endorsed_days_ago": 9,
        "why_new_channel": (
            "The school's YouTube channel hosts short films and lectures; a weekly "
            "one-hour podcast would drown them. Podcast listeners also expect a channel "
            "of their own with playlists per season."
        ),
        "answers": {
            "need": (
                "The registry lists the school's own YouTube channel and the dormant "
                "Robotics Lab channel. Neither publishes long conversations, and the "
                "podcast needs its own feed of episodes."
            ),
            "background": (
                "We recorded a pilot season of six conversations with researchers in "
                "2025. They were shared as audio files on the intranet and listened to "
                "far more than we expected."
            ),
            "goals": (
                "Publish a new episode every second week during term, let researchers "
                "explain their work in their own words, and give schools a resource for "
                "technology classes."
            ),
            "audience": (
                "Listeners interested in engineering and society, teachers in upper "
                "secondary schools, our own students and staff."
            ),
            "resources": (
                "Stig produces and edits, about six hours per episode. Viktor from the "
                "video team helps with recording and stands in for Stig. The school pays "
                "for a recording room booking each month."
            ),
            "moderation": (
                "Comments are held for review and approved once a day. We answer "
                "questions about the research with a link to the group's page, and "
                "remove personal attacks according to the terms of use."
            ),
            "follow_up": (
                "Per episode: views, average watch time and subscribers gained, reported "
                "to the school's management each term."
            ),
            "visual_identity": (
                "Episode thumbnails use a common template with the university's colours "
                "and typeface; the channel banner comes from the communications office."
            ),
            "data_protection": (
                "Guests sign a consent form before recording. We do not mention students "
                "by name without consent. YouTube's data transfers to the USA are "
                "described in the channel's privacy notice."
            ),
            "accessibility": (
                "Every episode gets edited captions in its language and a written summary "
                "in the description. Guests are introduced by name and role in speech."
            ),
        },
        "goals": [("followers", 500, 300), ("posts_per_week", 0.5, 200)],
    },
    {
        "name": "Library Special Collections",
        "submitter": "staff2",
        "unit": "Fictional University",
        "platform": "mastodon",
        "profile": "@specialcollections@social.fictional-university.example",
        "owner": "staff5",
        "deputy": "staff6",
        "languages": "English",
        "state": "changes_requested",
        "created_days_ago": 40,
        "submitted_days_ago": 25,
        "endorsed_days_ago": 21,
        "changes_days_ago": 14,
        "review_comment": (
            "Thank you, this is well prepared. Please explain how the special "
            "collections posts differ from the library's existing Mastodon account, and "
            "name a deputy who can cover the summer closure."
        ),
        "why_new_channel": (
            "The library's Mastodon account announces opening hours and services. The "
            "special collections have a different, international audience of historians "
            "and archivists who do not want service notices."
        ),
        "answers": {
            "need": (
                "The library already has an account on the university's own Mastodon "
                "server. We found it in the registry and talked to its owner: they prefer "
                "to keep it for service news."
            ),
            "background": (
                "The special collections are being digitised, and each week new "
                "manuscripts, maps and photographs become available online."
            ),
            "goals": (
                "Share one newly digitised item a day, with its story, and bring "
                "researchers to the digital collections."
            ),
            "audience": (
                "Historians, archivists, genealogists and other libraries, in Europe and "
                "North America; people who follow #GLAM hashtags."
            ),
            "resources": (
                "Lena posts daily, about thirty minutes a day; Henrik is deputy. Posts are "
                "prepared a week ahead so that holidays are covered."
            ),
            "moderation": (
                "Replies are read every working day. The account follows the server's "
                "rules and the university's terms of use; we report abusive accounts to "
                "the server's moderators."
            ),
            "follow_up": (
                "Monthly: boosts, favourites and visits from Mastodon to the digital collections."
            ),
            "visual_identity": (
                "The library's avatar and header images with the university's colours; "
                "images of items are shown as they are, with a credit line."
            ),
            "data_protection": (
                "The server is run by the university in the EU, so no data leaves the "
                "EU/EEA. We do not publish photographs of identifiable living people "
                "from the collections without checking the rights."
            ),
            "accessibility": (
                "Every image gets a detailed description; hashtags are written in "
                "CamelCase so that screen readers read them correctly."
            ),
        },
        "goals": [("posts_per_week", 5, 90), ("followers", 2000, 400)],
    },
    {
        "name": "Alumni Stories",
        "submitter": "staff",
        "unit": "Fictional University",
        "platform": "tiktok",
        "profile": "@fictionaluni.alumni",
        "owner": "staff5",
        "deputy": "staff",
        "languages": "English",
        "state": "approved",
        "created_days_ago": 90,
        "submitted_days_ago": 75,
        "endorsed_days_ago": 70,
        "changes_days_ago": 60,
        "review_comment": "Please add a goal for response time and say who films.",
        "resubmitted_days_ago": 50,
        "approved_days_ago": 40,
        "approval_comment": "Approved. The office will help set up two-factor login.",
        "why_new_channel": (
            "The alumni network is on LinkedIn and Facebook, where recent graduates are "
            "hardly found. TikTok reaches them in the format they use."
        ),
        "answers": {
            "need": (
                "The alumni office runs LinkedIn and Facebook pages, both for an older "
                "audience. Student Life is on TikTok but speaks to current students, not "
                "to graduates."
            ),
            "background": (
                "Graduates of the last five years rarely answer our e-mails. When we "
                "asked them, most said they follow short videos instead."
            ),
            "goals": (
                "Show what our graduates do now, in one-minute videos, so that recent "
                "graduates stay connected and students see where their studies can lead."
            ),
            "audience": (
                "Graduates aged 22 to 30 and current students in their last year, in our "
                "country and abroad."
            ),
            "resources": (
                "Lena plans and posts two videos a week, about five hours; Siri films "
                "and stands in. Alumni film themselves with a short guide we send them."
            ),
            "moderation": (
                "Comments are checked twice a day on working days. Spam and hateful "
                "comments are removed; alumni featured are told before we publish."
            ),
            "follow_up": (
                "Weekly: views, completion rate and shares; every quarter, sign-ups to "
                "the alumni network that came from TikTok."
            ),
            "visual_identity": (
                "An intro and outro with the university's logo, the brand colours in "
                "captions, and the alumni network's name in the profile."
            ),
            "data_protection": (
                "Featured alumni sign a consent form and can ask for a video to be "
                "removed at any time. TikTok processes data outside the EU/EEA; no "
                "personal data is collected through the account."
            ),
            "accessibility": (
                "All videos have captions, spoken content is not only shown as text, and "
                "we avoid flashing effects."
            ),
        },
        "goals": [
            ("followers", 3000, 365),
            ("posts_per_week", 2, 90),
            ("response_time_hours", 24, 60),
        ],
    },
    {
        "name": "Study at Fictional University",
        "submitter": "staff2",
        "unit": "Fictional University",
        "platform": "threads",
        "profile": "@studyatfictionaluni",
        "owner": "staff2",
        "deputy": "staff3",
        "languages": "English",
        "state": "rejected",
        "created_days_ago": 60,
        "submitted_days_ago": 45,
        "endorsed_days_ago": 42,
        "rejected_days_ago": 30,
        "rejection_comment": (
            "Student Life already has a Threads account planned for the same audience. "
            "Please publish recruitment content through that account instead."
        ),
        "why_new_channel": (
            "Recruitment messages need a separate voice from everyday student life, and "
            "admissions deadlines must be posted even when Student Life is quiet."
        ),
        "answers": {
            "need": (
                "The registry shows a planned Student Life account on Threads. Ours would "
                "focus on admissions: programmes, deadlines and scholarships."
            ),
            "background": (
                "Applications from abroad dropped last year, and international "
                "prospective students told us they look for universities on Threads."
            ),
            "goals": (
                "Answer questions from prospective students before the application "
                "deadlines and bring them to the programme pages."
            ),
            "audience": (
                "Prospective bachelor's and master's students aged 18 to 30, mainly outside the EU."
            ),
            "resources": (
                "Stig posts three times a week during the application period; Sara from "
                "the communications office is deputy."
            ),
            "moderation": (
                "Questions are answered within one working day; admission decisions are "
                "never discussed in public, we refer people to the admissions office."
            ),
            "follow_up": (
                "During the application period: replies, link clicks to programme pages "
                "and applications that mention social media."
            ),
            "visual_identity": (
                "The university's recruitment campaign images and colours, with the "
                "standard profile picture."
            ),
            "data_protection": (
                "We ask people never to post application numbers or documents. Threads "
                "transfers data to the USA, which the privacy notice explains."
            ),
            "accessibility": (
                "Images are described, links are written out in plain words, and emoji "
                "are used sparingly."
            ),
        },
        "goals": [("engagement_rate", 3, 150)],
    },
    {
        "name": "Humanities Research Digest",
        "submitter": "staff6",
        "unit": "School of Humanities",
        "platform": "bluesky",
        "profile": "humanities.fictional-university.example",
        "owner": "staff6",
        "deputy": "head2",
        "languages": "English, Swedish",
        "state": "withdrawn",
        "created_days_ago": 50,
        "submitted_days_ago": 35,
        "withdrawn_days_ago": 28,
        "withdrawal_comment": (
            "We will post through the school's existing channels for one term first."
        ),
        "why_new_channel": "",
        "answers": {
            "need": (
                "The school has Facebook, Instagram and a planned Threads account, but "
                "nothing where researchers in the humanities discuss their work today."
            ),
            "background": (
                "Many of our researchers moved to Bluesky this year and asked for an "
                "account that shares their publications."
            ),
            "goals": (
                "Share new publications and seminars from the school, and take part in "
                "public debate on language, history and culture."
            ),
            "audience": (
                "Researchers and journalists interested in the humanities, and the "
                "interested public."
            ),
            "resources": ("Henrik posts three times a week, about three hours; Hugo stands in."),
            "moderation": (
                "Replies are read daily. We block accounts that harass our researchers "
                "and report them, following the terms of use."
            ),
            "follow_up": (
                "Monthly: followers, reposts and clicks to publications in the research portal."
            ),
            "visual_identity": (
                "The school's logo as avatar and the humanities colour in the header."
            ),
            "data_protection": (
                "Bluesky posts are public and permanent; we post no personal data beyond "
                "researchers' names and roles, with their agreement."
            ),
            "accessibility": (
                "Alternative text for every image; threads are kept short, with the main "
                "point first."
            ),
        },
        "goals": [("followers", 600, 300), ("posts_per_week", 3, 100)],
    },
]
