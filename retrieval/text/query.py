"""Turning a user's question into search terms: Bengali, romanised Bengali ("Banglish"), or English.

Romanised questions go through Avro phonetic transliteration (avro.py, offline). Its guesses are
often one letter off (ch→ছ where চ was meant, th→থ for ঠ), so words the corpus does not know are
matched to corpus words that *sound* the same (see `sound_key`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import avro
import regex

from retrieval.text.analyser import content_terms, fold, normalize, terms
from retrieval.text.glossary import bengali_for

# "english_text": an English question whose words the corpus itself holds (English-language articles), searched
# like a Bengali one; "english": one that only the multilingual model can match to Bengali passages.
Script = Literal["bengali", "romanised", "english", "english_text"]

_LATIN = regex.compile(r"\p{Latin}")
_BENGALI = regex.compile(r"\p{Bengali}")
# Function words that mark a Latin-script question as English rather than romanised Bengali.
# Words that are also common romanised Bengali ("to", "na", "ki") are left out on purpose.
_ENGLISH_MARKERS = frozenset(
    "the is was were are what when where who whom why how which did does of with has have had "
    "will would could should about from their there this that these those "
    "in on for by an and or but not his her him its they them you your he she it be been into than "
    "after before over under since against between during".split()
)

# Sound classes: letters a romanised guess confuses collapse to one key letter. Nukta letters
# are written as escapes because their precomposed and decomposed forms look identical.
_NUKTA_PAIRS = {"\u09a1\u09bc": "\u09dc", "\u09a2\u09bc": "\u09dd", "\u09af\u09bc": "\u09df"}
_SOUND = {
    **dict.fromkeys("কখ", "k"),
    **dict.fromkeys("গঘ", "g"),
    **dict.fromkeys("চছ", "c"),
    **dict.fromkeys("জঝয", "j"),
    **dict.fromkeys("টঠতথৎ", "t"),
    **dict.fromkeys("ডঢদধ", "d"),
    **dict.fromkeys("র\u09dc\u09ddৰ", "r"),
    **dict.fromkeys("নণঙঞং", "n"),
    **dict.fromkeys("পফ", "p"),
    **dict.fromkeys("বভ", "b"),
    "ম": "m",
    "ল": "l",
    **dict.fromkeys("শষস", "s"),
    "হ": "h",
    "\u09df": "y",
}
_VOWELS = {
    **dict.fromkeys("অআা", "a"),
    **dict.fromkeys("ইঈিী", "i"),
    **dict.fromkeys("উঊুূ", "u"),
    **dict.fromkeys("এে", "e"),
    **dict.fromkeys("ঐৈ", "i"),
    **dict.fromkeys("ওো", "o"),
    **dict.fromkeys("ঔৌ", "u"),
    **dict.fromkeys("ঋৃ", "ri"),
}
_VIRAMA = "\u09cd"


@dataclass(frozen=True)
class AnalysedQuery:
    """What the retriever searches with."""

    text: str  # normalised question (transliterated when it was romanised)
    raw: str  # as the user wrote it
    script: Script
    words: list[str]  # folded surface words
    content: list[str]  # words that carry meaning
    latin: dict[str, str] = field(default_factory=dict)  # content word -> the Latin word it was transliterated from
    # content word -> other Bengali words that mean the same (an English word's equivalents in the glossary)
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)


def detect_script(question: str) -> Script:
    """Bengali, or Latin letters that are English, or Latin letters that are romanised Bengali."""
    latin = len(_LATIN.findall(question))
    if latin <= len(_BENGALI.findall(question)):
        return "bengali"
    lowered = regex.findall(r"[a-z']+", question.lower())
    markers = sum(1 for w in lowered if w in _ENGLISH_MARKERS)
    return "english" if markers >= 1 and markers >= len(lowered) / 6 else "romanised"


# Function words and colloquial verb endings as Banglish is typed ("korse", "hoise", "dilo"): Avro turns them
# into spellings no article uses (করসে, হইসে), which would count as question words the corpus lacks.
_ROMANISED_FUNCTION_WORDS = frozenset(
    """
ki kii ke kobe keno kno kothay kothai kon kono koto kivabe kibhabe kemne kemon er r ar o na ta ti te e je jei sei ei
oi eta ota tar tader tara tini amra ami tumi apni tomar amar apnar gula gulo guli gulor niye diye age pore porer jonno
jnno theke thake sathe shathe kore korte hoy hoye hoise hoyse hoyeche hoechhe hocche hosse hobe hole holo hoilo korse
korche koreche korechhe korbe korlo korechilo korsilo korchilo koren korlen dise dilo disilo diyeche dieche dibe nibe
nise niyeche bolse bollo boleche bolechen bolche bolchen bolo gese geche gelo ache ase achhe chilo silo chhilo chilen
silen ekta ekti ektu kisu kichu shob sob onek ke ki
""".split()
)
_LATIN_WORD = regex.compile(r"[a-z0-9']+")
_ENGLISH_WORD = regex.compile(r"[A-Za-z0-9']+")


def analyse(question: str) -> AnalysedQuery:
    """Normalise, transliterate romanised Bengali, and split into terms."""
    script = detect_script(question)
    if script != "romanised":
        text = normalize(question)
        found = terms(text)
        return AnalysedQuery(text=text, raw=question, script=script, words=found, content=content_terms(found))
    text = normalize(avro.parse(question.lower()))
    meant = [w for w in _LATIN_WORD.findall(question.lower()) if w not in _ROMANISED_FUNCTION_WORDS]
    found = terms(text)
    content, latin, alternatives = _transliterated(meant)
    return AnalysedQuery(
        text=text, raw=question, script=script, words=found, content=content, latin=latin, alternatives=alternatives
    )


def _transliterated(
    latin_words: list[str], *, glossary: bool = False
) -> tuple[list[str], dict[str, str], dict[str, tuple[str, ...]]]:
    """The content words of Latin words transliterated with Avro, with the Latin word each came from
    (Avro spells English names by Bengali rules, "moscow" as মসচো; the Latin spelling finds মস্কো).
    With `glossary`, an English news word is taken in the Bengali words the glossary gives instead.
    Not for Banglish: there its English words ("north korea") were found better by sound (উত্তর also
    means "answer" and "after"; with it two of the 11 written Banglish questions lost their first place).
    Returns the content words (each once), their Latin sources and their alternatives."""
    content: list[str] = []
    source: dict[str, str] = {}
    alternatives: dict[str, tuple[str, ...]] = {}
    for latin in latin_words:
        meant = [t for b in bengali_for(latin) for t in content_terms(terms(normalize(b)))] if glossary else []
        if meant:
            if meant[0] not in alternatives:
                content.append(meant[0])
                alternatives[meant[0]] = tuple(w for w in dict.fromkeys(meant[1:]) if w != meant[0])
            continue
        for word in content_terms(terms(normalize(avro.parse(latin.lower())))):
            content.append(word)
            source.setdefault(word, latin.lower())
    return list(dict.fromkeys(content)), source, alternatives


# Greetings and filler people send a bot instead of a question, in English, Banglish and Bengali.
_CHATTER_RAW = """
hi hii hiii hello helo hey heya hiya yo ok okay okk k kk thanks thank thx ty tnx you u bye goodbye good morning
evening night afternoon welcome lol haha hahaha hmm hm test testing world please pls sorry yes no yeah yep nope sure
cool nice great wow oh ah everyone everybody all lot much so very dear bot bad good fine awesome best worst
love like it is are am i me my we our this that what
bro bhai sir madam friend friends salam salaam assalamualaikum asalamualaikum dhonnobad dhonyobad donnobad shuvo shubho
kemon acho achen achho achi bhalo valo ki kii khobor khabar thik ase ache achhe acha accha vai bhaiya apu dada tumi
tui apni ke
হাই হ্যালো হেলো ধন্যবাদ ওকে আচ্ছা ঠিক আছে শুভ সকাল সন্ধ্যা রাত্রি কেমন আছেন আছো আছ আছি ভালো সালাম আসসালামু আলাইকুম
ভাই ভাইয়া আপু দাদা হুম হুমম তুমি তুই আপনি কে কী কি খবর
"""
_CHATTER = frozenset(fold(normalize(w.lower())) for w in _CHATTER_RAW.split())
_LETTERS = regex.compile(r"[\p{L}\p{M}]+")
SHORT_WORD = 3  # letters: a lone Latin word this short is chatter (a lone "Putin" is a search)


def is_chatter(query: AnalysedQuery) -> bool:
    """A greeting or filler ("hi", "ok", "hello world", "how are you", "aaaa"), which no passage should answer.

    Judged on the words as typed, so a romanised greeting is caught before transliteration."""
    typed = [fold(normalize(w)) for w in _LETTERS.findall(query.raw.lower())]
    if len(typed) == 1 and typed[0].isascii() and len(typed[0]) <= SHORT_WORD:
        return True  # "bad", "hmm", "lol": one short Latin word asks nothing
    return bool(typed) and all(w in _CHATTER or w in _ENGLISH_MARKERS or len(set(w)) == 1 for w in typed)


def sound_key(word: str) -> str:
    """A coarse phonetic key: চিঠি and ছিথি (Avro's guess for "chithi") share "citi".

    য-ফলা and ব-ফলা (virama + য/ব) are dropped: they mostly double the consonant before them,
    which a romanised spelling writes in many ways.
    """
    for pair, letter in _NUKTA_PAIRS.items():
        word = word.replace(pair, letter)
    out: list[str] = []
    previous = ""
    for char in word:
        if previous == _VIRAMA and char in "যব":
            key = ""
        else:
            key = _SOUND.get(char) or _VOWELS.get(char) or (char if char.isascii() and char.isalnum() else "")
        previous = char
        if key and (not out or out[-1] != key):
            out.append(key)
    return "".join(out)


def consonant_skeleton(key: str) -> str:
    """The consonants of a sound key: the coarse bucket in which near spellings are compared."""
    return "".join(c for c in key if c not in "aeiouy")


_NAME = regex.compile(r"(?<=\s)[A-Z][a-zA-Z'-]+|\b[A-Z]{2,}\b")


def as_english_text(query: AnalysedQuery) -> AnalysedQuery:
    """An English question searched for its own words, function words ("where", "are", "in") left out."""
    content = [w for w in query.content if w not in _ENGLISH_MARKERS]
    return replace(query, script="english_text", content=content)


def english_in_bengali(question: str) -> AnalysedQuery:
    """An English question in the words a Bengali article would use: its common news words by the
    glossary ("bridge" -> সেতু, "north" -> উত্তর) and its names (capitalised words after the first:
    Putin, Lavrov) by sound. What the lexical index can match of a question in another language."""
    rest = question.split(" ", 1)[-1] if " " in question else ""
    names = {w.strip("'-") for w in _NAME.findall(" " + rest)}
    words = [w.strip("'-") for w in _ENGLISH_WORD.findall(question)]
    wanted = [w for w in words if w.lower() not in _ENGLISH_MARKERS and (w in names or bengali_for(w))]
    content, latin, alternatives = _transliterated(wanted, glossary=True)
    text = " ".join(content)
    return AnalysedQuery(
        text=text,
        raw=question,
        script="english",
        words=terms(text),
        content=content,
        latin=latin,
        alternatives=alternatives,
    )


# Latin spellings as sound keys (the letters of `sound_key`), the way English names are written in
# Bengali news: c is k (s before e, i, y), v is ভ, f is ফ, z is জ, w a vowel (ওয়াশিংটন), ng the ং.
_LATIN_DIGRAPHS = (
    ("sch", "s"), ("tch", "c"), ("ch", "c"), ("sh", "s"), ("th", "t"), ("ph", "p"), ("kh", "k"), ("gh", "g"),
    ("bh", "b"), ("dh", "d"), ("jh", "j"), ("ck", "k"), ("ng", "n"), ("qu", "k"), ("wh", "o"), ("x", "ks"),
)  # fmt: skip
_LATIN_LETTERS = {**{c: c for c in "bdghjklmnprsty"}, "c": "k", "f": "p", "q": "k", "v": "b", "w": "o", "z": "j"}
_LATIN_VOWELS = {"a": "a", "e": "e", "i": "i", "o": "o", "u": "u"}


def latin_sound_key(word: str) -> str:
    """The sound key a Bengali spelling of this Latin word would have: "moscow" and মস্কো both
    give "m?sko" with the same consonants, "reuters" and রয়টার্স the consonants r-t-r-s."""
    word = word.lower()
    out: list[str] = []
    i = 0
    while i < len(word):
        digraph = next(((d, k) for d, k in _LATIN_DIGRAPHS if word.startswith(d, i)), None)
        if digraph is not None:
            key, i = digraph[1], i + len(digraph[0])
        else:
            char, i = word[i], i + 1
            soft_c = char == "c" and i < len(word) and word[i] in "eiy"
            spelt = _LATIN_LETTERS.get(char) or _LATIN_VOWELS.get(char) or (char if char.isdigit() else "")
            key = "s" if soft_c else spelt
        for letter in key:
            if not out or out[-1] != letter:
                out.append(letter)
    return "".join(out)
