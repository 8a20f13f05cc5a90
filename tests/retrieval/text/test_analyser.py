"""The analyser's traps (listed in retrieval/text/analyser.py's docstring), one test each."""

from __future__ import annotations

import re

from retrieval.engine import SearchEngine
from retrieval.records import Article
from retrieval.text.analyser import index_tokens, normalize, sentence_ends, split_sentences, stem, terms, tidy, words
from retrieval.text.chunking import chunk_article
from retrieval.text.glossary import bengali_for
from retrieval.text.query import (
    analyse,
    consonant_skeleton,
    detect_script,
    english_in_bengali,
    latin_sound_key,
    sound_key,
)

PRECOMPOSED_YA = "\u09df"  # য়
DECOMPOSED_YA = "\u09af\u09bc"  # য + nukta


def test_nukta_letters_in_both_encodings_become_one() -> None:
    a = f"রাশি{PRECOMPOSED_YA}া"
    b = f"রাশি{DECOMPOSED_YA}া"
    assert a != b
    assert normalize(a) == normalize(b)
    assert terms(a) == terms(b)
    for pre, dec in (("\u09dc", "\u09a1\u09bc"), ("\u09dd", "\u09a2\u09bc")):
        assert normalize(pre) == normalize(dec)


def test_invisible_characters_are_removed_and_khanda_ta_composed() -> None:
    dirty = "বাং\u200cলা\u200dদেশ\u00ad\ufeff\u200b\u2060"
    assert normalize(dirty) == "বাংলাদেশ"
    assert normalize("উৎসব") == normalize("উত\u09cd\u200dসব")
    assert normalize("এক\u00a0দুই") == "এক দুই"


def test_vowel_sign_order_and_a_plus_aa() -> None:
    assert normalize("ক\u09c7\u09be") == "ক\u09cb"  # ে + া is ো
    assert normalize("ক\u09c7\u09d7") == "ক\u09cc"  # ে + ৗ is ৌ
    assert normalize("\u0985\u09be") == "\u0986"  # অ + া is আ


def test_digits_in_either_script_match_but_display_keeps_the_writers_digits() -> None:
    assert terms("২০২৪ সালে") == terms("2024 সালে")
    assert tidy("২১ হাজার") == "২১ হাজার"
    assert "হাজার" in terms("২১ হাজার ৮৬৩")


def test_words_keep_vowel_signs_unlike_python_re() -> None:
    assert len(re.findall(r"\w+", "বাংলাদেশের")) > 1  # the trap itself
    assert words("বাংলাদেশের মানুষ") == ["বাংলাদেশের", "মানুষ"]


def test_danda_glued_to_next_word_splits_words_and_sentences() -> None:
    assert words(normalize("বলা হয়।এ চুক্তির")) == [normalize("বলা"), normalize("হয়"), "এ", normalize("চুক্তির")]
    assert split_sentences(tidy("বলা হয়।এ চুক্তির কথা? হ্যাঁ! ঠিক॥শেষ")) == [
        tidy("বলা হয়।"),
        tidy("এ চুক্তির কথা?"),
        tidy("হ্যাঁ!"),
        tidy("ঠিক॥"),
        tidy("শেষ"),
    ]
    assert normalize("শেষ\u09f7") == "শেষ।"


def test_closing_quote_stays_with_its_sentence() -> None:
    assert split_sentences(tidy("তিনি বলেন, ‘ঠিক আছে।’অভিন্ন কথা।")) == [tidy("তিনি বলেন, ‘ঠিক আছে।’"), tidy("অভিন্ন কথা।")]


def test_light_stemming_and_both_forms_indexed() -> None:
    for form in ("রাশিয়ার", "রাশিয়াকে", "রাশিয়ায়"):
        assert stem(normalize(form)) == normalize("রাশিয়া")
    assert stem(normalize("দেশগুলোর")) == normalize("দেশ")
    assert len(stem("কে")) == 2  # never below two code points
    assert index_tokens(["রাশিয়ার"]) == ["রাশিয়ার", "~" + stem("রাশিয়ার")]


def test_safe_spelling_folds() -> None:
    assert terms("সরকারী") == terms("সরকারি")
    assert terms("পূর্ব") == terms("পুর্ব")


def test_script_detection() -> None:
    assert detect_script("পুতিন কবে এসেছিলেন?") == "bengali"
    assert detect_script("putin kobe esechilen?") == "romanised"
    assert detect_script("ami to jani na") == "romanised"
    assert detect_script("When did Putin visit North Korea?") == "english"
    # Names outnumber the question words; "in", "his", "to" still say English ("to" alone is Banglish too).
    assert detect_script("What did Kim Jong Un pledge to Putin in his liberation-day message?") == "english"
    assert detect_script("kim jong un er meyer nam ki") == "romanised"


def test_romanised_question_is_transliterated() -> None:
    analysed = analyse("uttor korea rashiay")
    assert analysed.script == "romanised"
    assert normalize("উত্তর") in analysed.words


def test_sound_key_meets_avro_halfway() -> None:
    assert sound_key(normalize("চিঠি")) == sound_key(normalize("ছিথি"))
    assert sound_key(normalize("পাঠিয়েছেন")) == sound_key(normalize("পাথিয়েছেন"))
    assert sound_key(normalize("সৈন্য")) == sound_key(normalize("সইন্ন"))


def test_latin_spellings_of_names_share_consonants_with_their_bengali_spelling() -> None:
    """Avro spells by Bengali rules ("moscow" -> মসচো); English names keep their consonants in Bengali."""
    pairs = {"moscow": "মস্কো", "reuters": "রয়টার্স", "washington": "ওয়াশিংটন", "pyongyang": "পিয়ংইয়ং",
             "lavrov": "লাভরভ", "jazeera": "জাজিরা", "trump": "ট্রাম্প", "bangladesh": "বাংলাদেশ"}  # fmt: skip
    for latin, bengali in pairs.items():
        assert consonant_skeleton(latin_sound_key(latin)) == consonant_skeleton(sound_key(normalize(bengali))), latin
    assert consonant_skeleton(sound_key(normalize("মসচো"))) != consonant_skeleton(sound_key(normalize("মস্কো")))


def test_romanised_content_words_remember_their_latin_spelling() -> None:
    analysed = analyse("moscow theke reuters ki bollo")
    assert set(analysed.latin.values()) == {"moscow", "reuters"}
    assert all(word in analysed.latin for word in analysed.content)


def test_an_english_question_in_bengali_words_has_its_news_words_and_its_names() -> None:
    """Common news words come from the glossary (with their other Bengali words), names by sound."""
    analysed = english_in_bengali("When did Russia and North Korea start building their first road bridge?")
    assert analysed.script == "english"
    for english in ("north", "start", "first", "road", "bridge"):
        assert normalize(bengali_for(english)[0]) in analysed.content, english
    assert normalize("রাস্তা") in analysed.alternatives[normalize("সড়ক")]
    assert analysed.latin[normalize("রাশিয়া")] == "russia"  # a name: transliterated, matched by sound later
    assert not any(w in analysed.content for w in terms("যখন এবং তাদের"))  # function words are dropped


def test_the_glossary_knows_plurals_and_past_tenses_and_abbreviations_only_in_capitals() -> None:
    assert bengali_for("bridges") == bengali_for("bridge") and bengali_for("signed") == bengali_for("sign")
    assert bengali_for("US") and not bengali_for("us")
    assert bengali_for("Flights") == bengali_for("flight")
    assert bengali_for("photosynthesis") == ()


def test_a_banglish_question_is_transliterated_not_translated() -> None:
    """English words in Banglish ("north korea") are left to Avro and the sound-alike search."""
    analysed = analyse("north korea kobe protishtha hoise?")
    assert analysed.script == "romanised" and not analysed.alternatives
    assert "north" in analysed.latin.values() and normalize("উত্তর") not in analysed.content


def test_a_word_typed_twice_in_banglish_counts_once() -> None:
    """ "kono desh ... onno desh": the lexical query would weigh দেশ twice over the question's other words."""
    content = analyse("kono desh akromon er shikar hole onno desh ki dibe").content
    assert content.count(normalize("দেশ")) == 1


def test_older_o_spelling_folds_to_the_vowel_sign() -> None:
    assert terms("কোনও আরও কখনও") == terms("কোনো আরো কখনো")
    assert terms("ওরা") == [normalize("ওরা")]  # a word-initial vowel letter stays


def test_sentence_ends_are_where_text_may_be_cut() -> None:
    text = tidy("এক কথা। দুই ‘কথা।’তিন? শেষ")
    cuts = [text[:end] for end in sentence_ends(text)]
    assert cuts == [tidy("এক কথা।"), tidy("এক কথা। দুই ‘কথা।’"), tidy("এক কথা। দুই ‘কথা।’তিন?")]


HEADING = "সম্পর্কের পুনর্নির্মাণে পুতিনের সফর"  # a subheading of data/articles/003: its own line, no danda
BELOW = "ধারণা করা হচ্ছে, পুতিনের এই সফর রাশিয়া ও উত্তর কোরিয়ার কয়েক দশকের সম্পর্কের পুনর্নির্মাণ করতে পারে।"


def test_a_heading_line_is_not_glued_to_the_sentence_below_it() -> None:
    # The cleaner gives one paragraph a line; the heading is too short for a passage of its own.
    before = "২০০০ সালের পর এবারই প্রথম উত্তর কোরিয়া সফরে গেলেন পুতিন। এই সফরেই কৌশলগত চুক্তি স্বাক্ষর হয়।"
    text = "\n\n".join([tidy(before), tidy(HEADING), tidy(BELOW)])
    (passage,) = [p for p in chunk_article(Article("a", text)) if tidy(HEADING) in p.text]
    sentences = split_sentences(passage.text)
    assert tidy(HEADING) in sentences and tidy(BELOW) in sentences
    heading_end = passage.text.index(tidy(HEADING)) + len(tidy(HEADING))
    assert heading_end in sentence_ends(passage.text)  # render may cut the excerpt right after it
    assert terms(passage.text) == terms(tidy(HEADING)) + terms(tidy(BELOW))  # the words are unchanged


def test_sentences_of_one_line_still_share_it() -> None:
    line = tidy("প্রথম বাক্যটি এখানে শেষ হলো। দ্বিতীয় বাক্যটিও একই অনুচ্ছেদে আছে এবং এটি একটু লম্বা।")
    (passage,) = chunk_article(Article("a", line, title="t"))
    assert passage.text == line


def test_the_highlight_below_a_heading_leaves_the_heading_out(engine: SearchEngine) -> None:
    (top, *_) = engine.search("পুতিনের সফর কি রাশিয়া ও উত্তর কোরিয়ার সম্পর্কের পুনর্নির্মাণ করতে পারে?", 3).hits
    assert tidy(HEADING) in top.text
    assert top.highlight == tidy(BELOW)
