"""Bengali news pages written for the tests, with their ground truth kept apart from the markup.

Each page is built from its article body (the sentences extraction must keep) and the furniture a
real news site wraps around it: navigation, a breaking-news ticker, ads, share buttons, an inline
"আরও পড়ুন" link, related stories, a comment box with comments, a newsletter prompt and a footer
(the sentences extraction must drop). Metadata comes three ways: <meta> tags (Open Graph), JSON-LD,
and neither (the one page where only the <title> and a dateline in the text say anything).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One article page and what extraction should find in it."""

    slug: str
    title: str
    outlet: str
    published: str  # ISO date
    body: tuple[str, ...]  # paragraphs of the article itself
    metadata: str  # "meta", "jsonld" or "none"
    section: str = "সারাদেশ"


NAV = ("প্রচ্ছদ", "জাতীয়", "রাজনীতি", "অর্থনীতি", "আন্তর্জাতিক", "খেলা", "বিনোদন", "মতামত", "ভিডিও", "ই-পেপার")
TICKER = (
    "ব্রেকিং: রাজধানীতে আজ বিকেলে বৃষ্টির সম্ভাবনা রয়েছে বলে আবহাওয়া অফিস জানিয়েছে।",
    "শেয়ারবাজারে আজ লেনদেন শুরু হয়েছে ইতিবাচক ধারায়।",
)
ADS = ("বিজ্ঞাপন", "ঈদ উপলক্ষে সব ইলেকট্রনিক্স পণ্যে ৩০ শতাংশ পর্যন্ত ছাড় পাচ্ছেন এখনই অর্ডার করুন।")
SHARE = ("শেয়ার করুন", "ফেসবুক", "টুইটার", "হোয়াটসঅ্যাপ")
RELATED_HEADING = "সম্পর্কিত খবর"
RELATED = (
    "চট্টগ্রামে পাহাড়ধসের ঝুঁকিতে হাজারো পরিবার, সরানোর উদ্যোগ নেই",
    "খুলনায় লবণাক্ততা বাড়ায় ধানের ফলন কমার আশঙ্কা করছেন কৃষকেরা",
    "নতুন বাজেটে কৃষি খাতে বরাদ্দ বাড়ানোর দাবি জানিয়েছে কৃষক সমিতি",
)
COMMENT_HEADING = "আপনার মতামত লিখুন"
COMMENTS = (
    "খুব ভালো প্রতিবেদন, এমন খবর আরও চাই।",
    "সরকারের উচিত দ্রুত এই সমস্যার সমাধান করা, না হলে সাধারণ মানুষের কষ্ট বাড়বে।",
)
NEWSLETTER = "প্রতিদিনের গুরুত্বপূর্ণ খবর ইমেইলে পেতে আমাদের নিউজলেটারে সাবস্ক্রাইব করুন।"
COOKIE = "এই ওয়েবসাইট আপনার অভিজ্ঞতা উন্নত করতে কুকি ব্যবহার করে।"


def footer(outlet: str) -> tuple[str, ...]:
    """The site footer: editor, address, copyright."""
    return (
        "সম্পাদক ও প্রকাশক: মোহাম্মদ রফিকুল ইসলাম",
        "৪৫ কারওয়ান বাজার, ঢাকা ১২১৫। ফোন: ০২-৯১১২২৩৩",
        f"© ২০২৫ {outlet} | সর্বস্বত্ব সংরক্ষিত",
    )


READ_MORE = "আরও পড়ুন: দেশের উত্তরাঞ্চলে শীতের প্রকোপ বাড়ছে, বাড়ছে ঠান্ডাজনিত রোগ"

MANGO = Page(
    slug="mango",
    title="রাজশাহীতে এবার আমের দাম কমেছে, দুশ্চিন্তায় চাষিরা",
    outlet="দৈনিক নতুন আলো",
    published="2025-06-12",
    metadata="meta",
    body=(
        "রাজশাহী অঞ্চলে এবার আমের ফলন ভালো হলেও বাজারে দাম আগের বছরের তুলনায় অনেক কম। "
        "চাষিরা বলছেন, প্রতি মণ হিমসাগর আম বিক্রি হচ্ছে ১ হাজার ৮০০ থেকে ২ হাজার টাকায়।",
        "গত বছর একই সময়ে এই আম বিক্রি হয়েছিল ২ হাজার ৮০০ টাকা পর্যন্ত। "
        "বানেশ্বর হাটের আড়তদার আবদুল করিম জানান, বাইরের জেলা থেকে পাইকার কম আসায় দাম পড়ে গেছে।",
        "কৃষি সম্প্রসারণ অধিদপ্তরের হিসাবে এ বছর রাজশাহী জেলায় ১৯ হাজার ৫০০ হেক্টর জমিতে আমের চাষ হয়েছে। "
        "সম্ভাব্য উৎপাদন ধরা হয়েছে প্রায় ২ লাখ ৬০ হাজার মেট্রিক টন।",
        "চাষি মোস্তফা কামাল বলেন, সার, কীটনাশক আর শ্রমিকের মজুরি বেড়েছে, অথচ আমের দাম কমে গেছে। "
        "এভাবে চললে অনেকেই আমবাগান কেটে অন্য ফসলের দিকে ঝুঁকবেন।",
        "ব্যবসায়ীরা জানান, রেলের বিশেষ ম্যাঙ্গো ট্রেন চালু হলে পরিবহন খরচ কমবে এবং ঢাকার বাজারে আম পাঠানো সহজ হবে। "
        "রেলওয়ে কর্তৃপক্ষ বলছে, আগামী সপ্তাহ থেকে ট্রেনটি চালুর পরিকল্পনা রয়েছে।",
        "জেলা প্রশাসন আম পাড়ার সময়সূচি বেঁধে দিয়েছে, যাতে অপরিপক্ব আম বাজারে না আসে। "
        "নির্ধারিত সময়ের আগে আম পাড়লে জরিমানা করা হবে বলে জানানো হয়েছে।",
    ),
)

TURTLE = Page(
    slug="turtle",
    title="কক্সবাজার সৈকতে সামুদ্রিক কচ্ছপের ডিম পাড়ায় এবার রেকর্ড",
    outlet="সাগরবার্তা",
    published="2025-03-04",
    metadata="jsonld",
    section="পরিবেশ",
    body=(
        "কক্সবাজার ও সেন্ট মার্টিন দ্বীপের সৈকতে এ মৌসুমে সামুদ্রিক কচ্ছপ রেকর্ড সংখ্যক ডিম পেড়েছে। "
        "পরিবেশবাদী সংগঠন নেচার কনজারভেশন জানিয়েছে, এবার মোট ১১ হাজার ২০০টি ডিম সংগ্রহ করা হয়েছে।",
        "গত মৌসুমে এই সংখ্যা ছিল ৭ হাজার ৬০০টি। "
        "সংগঠনটির প্রকল্প কর্মকর্তা শাহনাজ পারভীন বলেন, সৈকতে আলো ও মানুষের চলাচল নিয়ন্ত্রণ করায় কচ্ছপেরা নিরাপদে ডিম পাড়তে পেরেছে।",
        "সংগ্রহ করা ডিমগুলো সৈকতের পাঁচটি হ্যাচারিতে বালুর নিচে রাখা হয়েছে। "
        "প্রায় ৬০ দিন পর ডিম ফুটে বাচ্চা বের হলে সেগুলো সাগরে ছেড়ে দেওয়া হবে।",
        "এ বছর ডিম পাড়তে আসা কচ্ছপের বেশির ভাগই অলিভ রিডলে প্রজাতির। কয়েকটি সবুজ কচ্ছপও দেখা গেছে, যা সাম্প্রতিক বছরগুলোতে বিরল ছিল।",
        "তবে জালে আটকে ও প্লাস্টিক বর্জ্যে মারা যাওয়া কচ্ছপের সংখ্যাও কম নয়। "
        "মৌসুমে অন্তত ৪০টি মৃত কচ্ছপ সৈকতে ভেসে এসেছে বলে জানিয়েছে বন বিভাগ।",
        "জেলা মৎস্য কর্মকর্তা বলেন, ডিম পাড়ার মৌসুমে উপকূলের কাছে মাছ ধরার জাল ব্যবহারে নিষেধাজ্ঞা কঠোরভাবে মানা হবে।",
    ),
)

FLOOD = Page(
    slug="flood",
    title="সিলেটে বন্যায় ১২টি বিদ্যালয়ে পাঠদান বন্ধ",
    outlet="সিলেটের খবর",  # no metadata: only the <title> ("headline | outlet") names it
    published="2025-07-12",
    metadata="none",
    body=(
        "টানা বৃষ্টি ও উজান থেকে নেমে আসা ঢলে সিলেটের কোম্পানীগঞ্জ ও গোয়াইনঘাট উপজেলার নিম্নাঞ্চল প্লাবিত হয়েছে। "
        "পানি ঢুকে পড়ায় দুই উপজেলার ১২টি প্রাথমিক বিদ্যালয়ে পাঠদান বন্ধ রাখা হয়েছে।",
        "উপজেলা শিক্ষা কর্মকর্তা নাসরিন সুলতানা জানান, বিদ্যালয়গুলোর মাঠ ও শ্রেণিকক্ষে হাঁটুপানি জমেছে। "
        "পানি নেমে গেলে ক্ষতিগ্রস্ত আসবাব মেরামত করে আবার ক্লাস শুরু হবে।",
        "পানি উন্নয়ন বোর্ড জানিয়েছে, সুরমা নদীর পানি কানাইঘাট পয়েন্টে বিপৎসীমার ৪৫ সেন্টিমিটার ওপর দিয়ে বইছে। "
        "আগামী ২৪ ঘণ্টায় পানি আরও বাড়তে পারে বলে সতর্ক করা হয়েছে।",
        "বন্যাকবলিত এলাকার প্রায় তিন হাজার পরিবার আশ্রয়কেন্দ্রে উঠেছে। জেলা প্রশাসন তাদের জন্য শুকনা খাবার ও বিশুদ্ধ পানি পাঠিয়েছে।",
        "স্থানীয় বাসিন্দা রহিমা বেগম বলেন, ঘরে পানি ঢুকে যাওয়ায় গবাদিপশু নিয়ে উঁচু সড়কে আশ্রয় নিয়েছেন। রান্না করার মতো শুকনো জায়গাও নেই।",
    ),
)

ARTICLES = (MANGO, TURTLE, FLOOD)  # one site layout (HILSA, further down, is a WordPress theme)
BN_MONTHS = ("জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর")
_BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def bengali_date(iso: str) -> str:
    """'2025-07-12' as a Bengali dateline date: '১২ জুলাই ২০২৫'."""
    year, month, day = iso.split("-")
    return f"{int(day)} {BN_MONTHS[int(month) - 1]} {year}".translate(_BN_DIGITS)


def furniture_texts(page: Page) -> list[str]:
    """Every piece of text on the page that is not the article: what must not be let through."""
    pieces = [
        *NAV,
        *TICKER,
        *ADS,
        *SHARE,
        RELATED_HEADING,
        *RELATED,
        COMMENT_HEADING,
        *COMMENTS,
        NEWSLETTER,
        READ_MORE,
        *footer(page.outlet),
    ]
    if page.metadata == "yoast":
        return [*pieces, LONG_COMMENT, CAPTION, "সর্বাধিক পঠিত", "ট্যাগ: ইলিশ, চাঁদপুর", "চাঁদপুর প্রতিনিধি"]
    return [*pieces, COOKIE, "লগইন", "নিবন্ধন"]


def _head(page: Page, url: str) -> str:
    e = html.escape
    parts = [f"<title>{e(page.title)} | {e(page.outlet)}</title>"]
    if page.metadata == "meta":
        parts += [
            f'<meta property="og:title" content="{e(page.title)}">',
            f'<meta property="og:site_name" content="{e(page.outlet)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:url" content="{e(url)}">',
            f'<meta property="article:published_time" content="{page.published}T08:30:00+06:00">',
            f'<link rel="canonical" href="{e(url)}">',
            '<meta name="description" content="রাজশাহীর আমচাষিরা দাম নিয়ে দুশ্চিন্তায়।">',
        ]
    elif page.metadata == "jsonld":
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page.title,
            "datePublished": f"{page.published}T10:00:00+06:00",
            "mainEntityOfPage": url,
            "url": url,
            "publisher": {"@type": "Organization", "name": page.outlet},
            "author": {"@type": "Person", "name": "নিজস্ব প্রতিবেদক"},
        }
        parts.append(f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>')
        parts.append(f'<link rel="canonical" href="{e(url)}">')
    return "\n".join(parts)


def render(page: Page, url: str, *, charset_meta: bool = True) -> str:
    """The page's HTML, as a Bangladeshi news site would serve it. url: its canonical address."""
    e = html.escape
    nav = "".join(f'<li><a href="/section/{i}">{e(item)}</a></li>' for i, item in enumerate(NAV))
    related = "".join(
        f'<li><a href="/news/related-{i}"><img src="/img/r{i}.jpg" alt=""><h3>{e(h)}</h3></a></li>'
        for i, h in enumerate(RELATED)
    )
    comments = "".join(f'<div class="comment"><b>পাঠক {i + 1}</b><p>{e(c)}</p></div>' for i, c in enumerate(COMMENTS))
    paragraphs = [f"<p>{e(p)}</p>" for p in page.body]
    paragraphs.insert(2, f'<div class="ad-slot"><span>{e(ADS[0])}</span><a href="/ads/1">{e(ADS[1])}</a></div>')
    paragraphs.insert(4, f'<p class="read-more"><strong><a href="/news/winter">{e(READ_MORE)}</a></strong></p>')
    dateline = ""
    if page.metadata == "none":  # the only place this page states its date
        dateline = f'<p class="dateline">প্রকাশ: {bengali_date(page.published)}</p>'
    foot = "".join(f"<p>{e(line)}</p>" for line in footer(page.outlet))
    charset = '<meta charset="utf-8">' if charset_meta else ""
    return f"""<!DOCTYPE html>
<html lang="bn">
<head>
{charset}
<meta name="viewport" content="width=device-width, initial-scale=1">
{_head(page, url)}
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<div class="cookie-banner">{e(COOKIE)} <button>ঠিক আছে</button></div>
<header class="site-header">
  <a class="logo" href="/">{e(page.outlet)}</a>
  <div class="account"><a href="/login">লগইন</a> <a href="/register">নিবন্ধন</a></div>
  <nav class="main-menu"><ul>{nav}</ul></nav>
  <div class="ticker"><marquee>{" ".join(e(t) for t in TICKER)}</marquee></div>
</header>
<main>
  <article class="news-details">
    <ol class="breadcrumb"><li><a href="/">প্রচ্ছদ</a></li><li><a href="/section/x">{e(page.section)}</a></li></ol>
    <h1 class="headline">{e(page.title)}</h1>
    <div class="byline">নিজস্ব প্রতিবেদক</div>
    {dateline}
    <figure><img src="/img/lead.jpg" alt="ছবি"><figcaption>ছবি: সংগৃহীত</figcaption></figure>
    <div class="share">{"".join(f'<a href="#">{e(s)}</a>' for s in SHARE)}</div>
    <div class="article-body">
      {"".join(paragraphs)}
    </div>
  </article>
  <section class="related"><h2>{e(RELATED_HEADING)}</h2><ul>{related}</ul></section>
  <section class="comments">
    <h2>{e(COMMENT_HEADING)}</h2>
    <form><textarea name="comment"></textarea><button>পাঠান</button></form>
    {comments}
  </section>
  <aside class="newsletter"><p>{e(NEWSLETTER)}</p><input type="email"></aside>
</main>
<footer class="site-footer">{foot}</footer>
</body>
</html>
"""


def index_page() -> str:
    """A section front: many headlines with one-line teasers, no article."""
    items = "".join(
        f'<li><a href="/news/{i}"><h3>{e}</h3></a><p>{e} নিয়ে বিস্তারিত পড়ুন…</p></li>'
        for i, e in enumerate((*RELATED, *(a.title for a in ARTICLES), *TICKER))
    )
    nav = "".join(f'<li><a href="/section/{i}">{item}</a></li>' for i, item in enumerate(NAV))
    return f"""<!DOCTYPE html><html lang="bn"><head><meta charset="utf-8"><title>সারাদেশ | দৈনিক নতুন আলো</title>
<meta property="og:type" content="website"></head>
<body><nav><ul>{nav}</ul></nav><main><h1>সারাদেশ</h1><ul class="news-list">{items}</ul></main>
<footer><p>© ২০২৫ দৈনিক নতুন আলো | সর্বস্বত্ব সংরক্ষিত</p></footer></body></html>"""


def login_page() -> str:
    """A paywall / login wall in front of an article: a teaser sentence and a password form."""
    return """<!DOCTYPE html><html lang="bn"><head><meta charset="utf-8"><title>লগইন করুন | দৈনিক নতুন আলো</title></head>
<body><main><h1>পুরো খবরটি পড়তে লগইন করুন</h1>
<p>বাজেটে কৃষি খাতে বরাদ্দ নিয়ে বিশেষ প্রতিবেদনটি শুধু গ্রাহকদের জন্য।</p>
<form action="/login" method="post"><input name="email" type="email"><input name="password" type="password">
<button>লগইন</button></form></main></body></html>"""


def short_page() -> str:
    """An article page with one sentence of text: too little to be worth indexing."""
    return """<!DOCTYPE html><html lang="bn"><head><meta charset="utf-8"><title>ভিডিও: বৃষ্টিতে ঢাকার রাস্তা</title>
<meta property="og:type" content="article"></head>
<body><article><h1>ভিডিও: বৃষ্টিতে ঢাকার রাস্তা</h1><p>সকালের বৃষ্টিতে ঢাকার অনেক রাস্তায় পানি জমেছে।</p>
</article></body></html>"""


_DISTRICTS = ("বগুড়া", "দিনাজপুর", "কুমিল্লা", "নোয়াখালী", "যশোর", "বরিশাল", "পাবনা", "টাঙ্গাইল", "ময়মনসিংহ", "রংপুর")


def generated(n: int) -> Page:
    """The n-th of many distinct short reports (for feeds): a bridge opening in a district, numbers differ."""
    district = _DISTRICTS[n % len(_DISTRICTS)]
    num = str(n).translate(_BN_DIGITS)
    length = str(100 + 7 * n).translate(_BN_DIGITS)
    cost = str(20 + n).translate(_BN_DIGITS)
    return Page(
        slug=f"gen-{n}",
        title=f"{district}য় {num} নম্বর সেতুর নির্মাণকাজ শুরু",
        outlet="দৈনিক নতুন আলো",
        published=f"2025-05-{1 + n % 28:02d}",
        metadata="meta",
        body=(
            f"{district} জেলার একটি খালের ওপর {num} নম্বর সেতুর নির্মাণকাজ আজ আনুষ্ঠানিকভাবে শুরু হয়েছে। "
            f"সেতুটির দৈর্ঘ্য হবে {length} মিটার এবং এতে খরচ ধরা হয়েছে {cost} কোটি টাকা।",
            f"স্থানীয় সরকার প্রকৌশল অধিদপ্তরের নির্বাহী প্রকৌশলী জানান, {num} নম্বর সেতুর কাজ দুই বছরের মধ্যে শেষ হবে। "
            "সেতুটি চালু হলে আশপাশের অন্তত ২০টি গ্রামের মানুষ সহজে উপজেলা সদরে যেতে পারবেন।",
            f"এলাকার কৃষকেরা বলছেন, এত দিন নৌকায় করে খাল পার হয়ে {district} শহরে ফসল নিতে হতো। "
            "বর্ষায় খালে স্রোত বেড়ে গেলে পারাপার বন্ধ থাকত এবং ফসল নষ্ট হতো।",
        ),
    )


HILSA = Page(
    slug="hilsa",
    title="চাঁদপুরে ইলিশ ধরায় ২২ দিনের নিষেধাজ্ঞা শুরু",
    outlet="মেঘনা টাইমস",
    published="2025-10-04",
    metadata="yoast",  # a WordPress theme: JSON-LD @graph, body paragraphs split by <br>, a related box inside
    section="অর্থনীতি",
    body=(
        "মা ইলিশ রক্ষায় চাঁদপুরের পদ্মা ও মেঘনা নদীতে আজ মধ্যরাত থেকে ২২ দিনের জন্য ইলিশ ধরা বন্ধ থাকবে। "
        "এ সময় ইলিশ আহরণ, পরিবহন, মজুত ও বিক্রি সম্পূর্ণ নিষিদ্ধ।",
        "জেলা মৎস্য কর্মকর্তা জানান, নিষেধাজ্ঞার সময় জেলার ৪৪ হাজার জেলেকে ২৫ কেজি করে চাল দেওয়া হবে। "
        "নদীতে নজরদারির জন্য কোস্টগার্ড ও নৌ পুলিশের ১২টি দল কাজ করবে।",
        "নিষেধাজ্ঞা অমান্য করলে এক থেকে দুই বছরের কারাদণ্ড বা পাঁচ হাজার টাকা জরিমানা হতে পারে। "
        "গত বছর এই সময়ে ৩১০ জন জেলেকে আটক করা হয়েছিল।",
        "জেলেরা বলছেন, সরকারি চালের পরিমাণ পরিবার চালানোর জন্য যথেষ্ট নয়। অনেকে ধারদেনা করে সংসার চালাবেন বলে জানিয়েছেন।",
        "মৎস্য গবেষকেরা বলছেন, গত কয়েক বছরের নিষেধাজ্ঞার কারণে ইলিশের উৎপাদন ধারাবাহিকভাবে বেড়েছে। "
        "গত অর্থবছরে দেশে প্রায় ৫ লাখ ৭১ হাজার টন ইলিশ ধরা পড়েছে।",
    ),
)
LONG_COMMENT = "আমি মনে করি জেলেদের জন্য বরাদ্দ আরও বাড়ানো উচিত, কারণ এক মাস আয় ছাড়া সংসার চালানো খুব কঠিন।"
CAPTION = "চাঁদপুরের মেঘনা নদীতে জাল ফেলছেন জেলেরা। ফাইল ছবি"


def render_wordpress(page: Page, url: str) -> str:
    """A WordPress news theme: Yoast JSON-LD @graph, <br>-split paragraphs, a related box and an inline
    "আরও পড়ুন" inside the article body, a photo caption, tags, long reader comments, a widget sidebar."""
    e = html.escape
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": page.outlet, "url": url.split("/news/")[0] + "/"},
            {
                "@type": "NewsArticle",
                "headline": page.title,
                "datePublished": f"{page.published}T21:15:00+06:00",
                "mainEntityOfPage": {"@id": url},
                "publisher": {"@type": "Organization", "name": page.outlet},
            },
        ],
    }
    first, second, *rest = page.body
    body = (
        f"<p>{e(first)}<br><br>{e(second)}</p>"
        f'<figure class="wp-caption"><img src="/wp/hilsa.jpg"><figcaption>{e(CAPTION)}</figcaption></figure>'
        f'<div class="related-inline"><h4>{e(RELATED_HEADING)}</h4><ul>'
        + "".join(f'<li><a href="/news/r{i}">{e(h)}</a></li>' for i, h in enumerate(RELATED[:2]))
        + f'</ul></div><p>{e(rest[0])}</p><p><a href="/news/winter">{e(READ_MORE)}</a></p>'
        + "".join(f"<p>{e(p)}</p>" for p in rest[1:])
    )
    comments = "".join(
        f'<li class="comment"><div class="comment-author">পাঠক {i}</div>'
        f'<div class="comment-content"><p>{e(c)}</p></div></li>'
        for i, c in enumerate((*COMMENTS, LONG_COMMENT))
    )
    nav = "".join(f'<li><a href="/c/{i}">{e(n)}</a></li>' for i, n in enumerate(NAV))
    tags = 'ট্যাগ: <a href="/t/1">ইলিশ</a>, <a href="/t/2">চাঁদপুর</a>'
    widgets = "".join(f'<li><a href="/news/w{i}">{e(h)}</a></li>' for i, h in enumerate(RELATED))
    return f"""<!DOCTYPE html><html lang="bn-BD"><head><meta charset="UTF-8">
<title>{e(page.title)} - {e(page.outlet)}</title>
<script type="application/ld+json">{json.dumps(graph, ensure_ascii=False)}</script>
<link rel="canonical" href="{e(url)}"></head>
<body class="single-post">
<div id="top-bar">{e(TICKER[0])}</div>
<header id="masthead"><div class="site-title"><a href="/">{e(page.outlet)}</a></div>
<nav id="site-navigation"><ul>{nav}</ul></nav></header>
<div id="content"><div id="primary"><main id="main">
<article class="post type-post">
<header class="entry-header"><span class="cat-links"><a href="/c/x">{e(page.section)}</a></span>
<h1 class="entry-title">{e(page.title)}</h1>
<div class="entry-meta"><span class="byline">চাঁদপুর প্রতিনিধি</span></div></header>
<div class="td-post-sharing">{"".join(f'<a href="#">{e(s)}</a>' for s in SHARE)}</div>
<div class="entry-content">{body}</div>
<footer class="entry-footer"><span class="tags-links">{tags}</span></footer>
</article>
<div id="comments" class="comments-area"><h2 class="comments-title">{e(COMMENT_HEADING)}</h2>
<ol class="comment-list">{comments}</ol></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">সর্বাধিক পঠিত</h2>
<ul>{widgets}</ul></section><section class="widget"><p>{e(NEWSLETTER)}</p></section>
<section class="widget"><span>{e(ADS[0])}</span><p>{e(ADS[1])}</p></section></aside></div>
<footer id="colophon">{"".join(f"<p>{e(line)}</p>" for line in footer(page.outlet))}</footer>
</body></html>"""
