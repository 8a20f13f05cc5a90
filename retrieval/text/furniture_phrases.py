"""The phrase and word lists page-furniture cleaning (`furniture.py`) recognises, kept apart from its rules.

Only generic site furniture belongs here (sidebar headings, comment prompts, ad and share labels,
date words), never a phrase specific to one article: admins add articles scraped from arbitrary sites.
Lists are written in plain Bengali/English, one entry a line, and stored in the case-folded
normalize() form that `furniture` compares against; date words are also fold()ed, like its tokens.
"""

from __future__ import annotations

from retrieval.text.analyser import fold, normalize, words


def _n(text: str) -> str:
    """Canonical, case-folded form used for every phrase comparison below."""
    return normalize(text).casefold()


def _phrases(raw: str) -> frozenset[str]:
    """A phrase list written one per line, stored in the same form as `furniture._label` produces."""
    return frozenset(_n(line) for line in raw.strip().splitlines() if line.strip())


# Headings of "related / most read / latest" blocks that sites put after the article body.
SIDEBAR_HEADINGS = _phrases("""
সবচেয়ে জনপ্রিয়
সবচেয়ে বেশি পঠিত
সবচেয়ে পঠিত
সর্বাধিক পঠিত
সর্বাধিক জনপ্রিয়
সর্বাধিক পঠিত খবর
জনপ্রিয় খবর
পাঠকপ্রিয়
সম্পর্কিত প্রবন্ধ
সম্পরকিত প্রবন্ধ
সম্পর্কিত খবর
সম্পর্কিত সংবাদ
সম্পর্কিত পোস্ট
এ সম্পর্কিত আরও খবর
এ সম্পর্কিত আরো খবর
আরও খবর
আরো খবর
আরও সংবাদ
এই বিভাগের আরও খবর
এই বিভাগের আরো খবর
এ বিভাগের আরও খবর
এ বিভাগের আরো খবর
এই বিভাগের আরও
সর্বশেষ
সর্বশেষ খবর
সর্বশেষ সংবাদ
সাম্প্রতিক
সাম্প্রতিক খবর
সাম্প্রতিক পোস্ট
সাম্প্রতিক মন্তব্য
Related
Related news
Related posts
Related articles
Related stories
More news
More stories
Most read
Most popular
Popular
Popular posts
Latest
Latest news
Latest posts
Recent posts
Recent comments
Trending
You may also like
""")

# Invitations to comment (and "comments are closed" notices) are never article text.
COMMENT_PROMPTS = _phrases("""
আপনার মতামত লিখুন
আপনার মতামত দিন
মতামত লিখুন
আপনার মন্তব্য লিখুন
মন্তব্য লিখুন
মন্তব্য করুন
মন্তব্য
মন্তব্যসমূহ
ইহাতে মন্তব্য প্রদান বন্ধ রয়েছে
এতে মন্তব্য প্রদান বন্ধ রয়েছে
মন্তব্য প্রদান বন্ধ রয়েছে
Leave a comment
Leave a reply
Post a comment
Add a comment
Comments
Comments are closed
""")

OTHER_FURNITURE = _phrases("""
Source link
Source
Advertisement
বিজ্ঞাপন
শেয়ার করুন
Share
Share this
""")

# The Bengali month names, January first: each entry its spellings, the usual one first.
BENGALI_MONTH_SPELLINGS = (
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট আগষ্ট অগাস্ট অগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
)
BENGALI_MONTHS = tuple(spellings.split()[0] for spellings in BENGALI_MONTH_SPELLINGS)  # as dates are shown

# Words that may appear in a date/time line; a line made only of these and numbers is a dateline.
MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            "january february march april may june july august september october november december".split(), 1
        )
    },
    **{m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    "sept": 9,
    **{fold(_n(m)): i for i, group in enumerate(BENGALI_MONTH_SPELLINGS, 1) for m in group.split()},
}
DATE_WORDS = frozenset(
    fold(_n(w))
    for w in """
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
শনিবার রবিবার রোববার সোমবার মঙ্গলবার বুধবার বৃহস্পতিবার বিষ্যুদবার শুক্রবার
বৈশাখ জ্যৈষ্ঠ আষাঢ় শ্রাবণ ভাদ্র আশ্বিন কার্তিক অগ্রহায়ণ পৌষ মাঘ ফাল্গুন চৈত্র
am pm a m p ist bst gmt utc at on ইং ইংরেজি খ্রিস্টাব্দ খ্রি বঙ্গাব্দ সাল বাংলা
সকাল দুপুর বিকাল বিকেল সন্ধ্যা রাত ভোর মিনিট সময়
""".split()
)
DAY_NAMES = frozenset(
    fold(_n(w))
    for w in """
monday tuesday wednesday thursday friday saturday sunday
শনিবার রবিবার রোববার সোমবার মঙ্গলবার বুধবার বৃহস্পতিবার শুক্রবার
""".split()
)
LABEL_WORDS = frozenset(fold(w) for w in words(_n("প্রকাশিত হয়েছে প্রকাশ আপডেট published updated posted")))
