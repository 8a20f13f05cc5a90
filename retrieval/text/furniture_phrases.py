"""The phrase and word lists page-furniture cleaning (`furniture.py`) recognises, kept apart from its rules.

Only generic site furniture belongs here (sidebar headings, comment prompts, ad and share labels; date
and month words are in `dates`), never a phrase specific to one article: admins add articles scraped
from arbitrary sites. Lists are written in plain Bengali/English, one entry a line, and stored in the case-folded
normalize() form that `furniture` compares against.
"""

from __future__ import annotations

from retrieval.text.analyser import normalize


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
