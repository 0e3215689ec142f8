"""The demo organisation: a fictional university's people, units, registry of channels
and a notice, as seed_demo plays them (demo/management/commands/seed_demo.py)."""

from accounts.platforms import Platform
from core import roles

# username: (first name, last name, role groups, what they show in the demo)
PEOPLE = {
    "demo-staff": ("Siri", "Staff", [], "staff member who proposes accounts"),
    "demo-staff2": ("Stig", "Colleague", [], "a second staff member"),
    "demo-head": ("Hedda", "Head", [], "head of the School of Engineering"),
    "demo-head2": ("Hugo", "Head", [], "head of the School of Humanities"),
    "demo-rector": ("Rut", "Rector", [], "head of the university"),
    "demo-comms": ("Carl", "Comms", [roles.COMMUNICATIONS], "communications office (reviewer)"),
    "demo-admin": ("Ada", "Admin", [roles.PORTAL_ADMINS], "portal administrator"),
}

# More people who run channels; not printed with the logins. username: (first name,
# last name, active?). demo-former has left the university: the channels they still
# own are orphaned.
STAFF = {
    "demo-staff3": ("Sara", "Social", True),
    "demo-staff4": ("Viktor", "Video", True),
    "demo-staff5": ("Lena", "Librarian", True),
    "demo-staff6": ("Henrik", "Historian", True),
    "demo-former": ("Frida", "Former", False),
}

# name: (parent name, head username); parents come before their children.
UNITS = {
    "Fictional University": (None, "demo-rector"),
    "School of Engineering": ("Fictional University", "demo-head"),
    "Department of Computer Science": ("School of Engineering", "demo-head"),
    "School of Humanities": ("Fictional University", "demo-head2"),
    "Communications Office": ("Fictional University", "demo-comms"),
}

UNIVERSITY = "Fictional University"
HOST = "fictional-university.example"  # the university's (fictional) domain
MASTODON = f"social.{HOST}"  # its own Mastodon instance
LIBRARY = "Fictional University Library"
ALUMNI = "Fictional University Alumni"
STUDENT_LIFE = "Student Life at Fictional University"
ENGINEERING = "School of Engineering"
CS = "Department of Computer Science"
HUMANITIES = "School of Humanities"
P = Platform

# The registry, by unit: (name, platform, profile address as people paste it, owner,
# deputy). Owners and deputies are usernames without "demo-"; demo-former has left, so
# the channels they own are orphaned. Then notes: "dormant", "planned", "internal" (not
# in the public directory), "overdue=N" (recertification N days late), "closed=N"
# (closed N days ago, for the reason in CLOSE_REASONS), "handed" (the owner took it over,
# as HANDED_OVER says). Running channels without an "overdue" note are due for
# recertification within the coming year.
CHANNELS = {
    "Communications Office": [
        (UNIVERSITY, P.FACEBOOK, "facebook.com/FictionalUniversity", "comms", "staff3"),
        (UNIVERSITY, P.INSTAGRAM, "@fictionaluniversity", "comms", "staff3"),
        (UNIVERSITY, P.LINKEDIN, "linkedin.com/school/fictionaluni", "staff3", "comms"),
        (UNIVERSITY, P.X, "@fictionaluni", "comms", "staff4"),
        (UNIVERSITY, P.YOUTUBE, "youtube.com/@fictionaluniversity", "staff4", "comms"),
        (UNIVERSITY, P.TIKTOK, "@fictionaluni", "staff4", "staff3"),
        (UNIVERSITY, P.MASTODON, f"@news@{MASTODON}", "comms", "staff4"),
        (UNIVERSITY, P.BLUESKY, HOST, "comms", "staff3"),
        (UNIVERSITY, P.THREADS, "@fictionaluniversity", "staff3", "comms"),
        ("Photo Archive", P.FLICKR, "flickr.com/photos/fictionaluni/", "staff4", None, "dormant"),
        ("University Newsroom", P.OTHER, f"https://news.{HOST}/press/", "comms", "staff3"),
    ],
    UNIVERSITY: [
        (LIBRARY, P.INSTAGRAM, "instagram.com/FictionalUni.Library", "staff5", "staff6"),
        (LIBRARY, P.FACEBOOK, "fictionaluni.library", "staff5", "staff6"),
        (LIBRARY, P.BLUESKY, f"library.{HOST}", "staff6", "staff5"),
        (LIBRARY, P.MASTODON, f"@library@{MASTODON}", "staff6", None),
        (ALUMNI, P.LINKEDIN, "linkedin.com/company/fictionaluni-alumni", "staff5", "staff"),
        (ALUMNI, P.FACEBOOK, "fictionaluni.alumni", "former", "staff5"),
        ("Careers Service", P.FACEBOOK, "fictionaluni.careers", "staff6", "staff2", "overdue=12"),
        (STUDENT_LIFE, P.INSTAGRAM, "@fictionaluni.studentlife", "staff", "staff6"),
        (STUDENT_LIFE, P.TIKTOK, "@fictionaluni.studentlife", "staff", "staff5"),
        (STUDENT_LIFE, P.THREADS, "@fictionaluni.studentlife", "staff", "staff6", "planned"),
        ("University Sports", P.X, "@fu_sports", "former", None),
        ("Staff News", P.OTHER, f"intranet.{HOST}/news/", "staff3", "comms", "internal handed"),
        ("Open Day 2019", P.FACEBOOK, "fictionaluni.openday2019", "staff", "staff2", "closed=900"),
    ],
    ENGINEERING: [
        (ENGINEERING, P.LINKEDIN, "linkedin.com/showcase/fictionaluni-eng", "head", "staff2"),
        (ENGINEERING, P.INSTAGRAM, "@fictionaluni.engineering", "staff2", "staff"),
        (ENGINEERING, P.YOUTUBE, "@fictionaluni-engineering", "staff2", "head", "overdue=45"),
        (ENGINEERING, P.X, "@fu_engineering", "staff2", "staff", "dormant"),
        ("Engineering Students", P.TIKTOK, "@fictionaluni.engineers", "staff", None, "dormant"),
        ("Robotics Lab", P.YOUTUBE, "@fictionaluni-robotics", "former", "staff2"),
        ("Lab Safety", P.OTHER, f"teams.{HOST}/lab-safety", "head", "staff2", "internal"),
        ("Summer School 2021", P.INSTAGRAM, "@fictionaluni.summer21", "staff2", None, "closed=500"),
    ],
    CS: [
        (CS, P.MASTODON, f"https://{MASTODON}/@cs", "staff", "staff2"),
        (CS, P.BLUESKY, f"bsky.app/profile/cs.{HOST}", "staff", "staff2"),
        (CS, P.X, "https://twitter.com/fu_compsci", "staff2", "staff", "overdue=90"),
        ("CS Seminars", P.YOUTUBE, "@fictionaluni-cs-seminars", "staff", None, "dormant internal"),
        ("CS Podcast", P.OTHER, f"podcasts.{HOST}/cs/", "staff2", "staff"),
        ("CS Hackathon", P.X, "@fu_hackathon", "staff", None, "closed=200"),
    ],
    HUMANITIES: [
        (HUMANITIES, P.FACEBOOK, "fictionaluni.humanities", "head2", "staff6", "overdue=30"),
        (HUMANITIES, P.INSTAGRAM, "@fictionaluni.humanities", "staff6", "head2"),
        ("Book Talks", P.YOUTUBE, "@fictionaluni-booktalks", "staff6", None, "overdue=160"),
        ("Humanities Archive", P.FLICKR, "flickr.com/photos/fu-hum", "head2", "staff6", "dormant"),
        (HUMANITIES, P.THREADS, "@fictionaluni.humanities", "staff6", "head2", "planned"),
    ],
}

CLOSE_REASONS = {
    "Open Day 2019": "The event is over; followers were pointed to the university's page.",
    "Summer School 2021": "The summer school now posts on the school's main account.",
    "CS Hackathon": "Nobody had posted for two years.",
}

# name: (the owner before, days ago, why).
HANDED_OVER = {
    "Staff News": ("demo-staff4", 100, "Viktor now works on video only; Sara takes over."),
}

# A crisis notice the office published this many days before the first run and ended
# three days later; most people running a channel acknowledged it.
NOTICE_DAYS_AGO = 120
NOTICE = {
    "level": "crisis",
    "title": "Phishing messages target our social media accounts",
    "body": (
        "Messages that look like they come from Meta ask for the password of the "
        "university's pages. Do not answer them and do not sign in through their links. "
        "If you did, change the password and tell the communications office at once."
    ),
}
# Did not acknowledge the notice.
NOTICE_UNREAD = ["demo-staff2", "demo-head2"]
