"""Repeat removal (`clean_text`, rule 5): repeated paragraphs and sentences keep their first occurrence."""

from __future__ import annotations

from retrieval.text.analyser import normalize, tidy
from retrieval.text.furniture import clean_text
from tests.support.seeds import BODY, MORE_BODY, cleaned_seed


def test_repeated_paragraph_and_sentence_in_seed_000_appear_once() -> None:
    cleaned = normalize(cleaned_seed("000_43b20ac34654a04f"))
    assert cleaned.count(normalize("এক বছরের কম সময়ের মধ্যে এটি ছিল দুজনের মধ্যে দ্বিতীয় বৈঠক")) == 1
    assert cleaned.count(normalize("অভিন্ন শত্রুর বিরুদ্ধে রক্তক্ষয়ী লড়াই")) == 1
    assert cleaned.count(normalize("গত জুনে পিয়ংইয়ংয়ে বৈঠক করেছেন কিম জং উন ও ভ্লাদিমির পুতিন")) == 1
    assert cleaned.count(normalize("শক্তিশালী চালিকাশক্তি হিসেবে কাজ করছে")) == 1
    # The paragraph that repeated an earlier one keeps its new sentences.
    assert normalize("কিম একটি সমাধিসৌধ পরিদর্শন করেছেন") in cleaned
    assert normalize("কিম রকেট ও ক্ষেপণাস্ত্র সরবরাহ করে") in cleaned


def test_repeated_sentence_with_a_glued_caption_is_dropped() -> None:
    raw = f"{BODY} {MORE_BODY}\n\nবাজেট অধিবেশনে অর্থমন্ত্রী\u00a0 {MORE_BODY} তিনি আরও বলেন, কর কমানো হবে।"
    assert clean_text(raw) == f"{tidy(BODY)} {tidy(MORE_BODY)}\n\n{tidy('তিনি আরও বলেন, কর কমানো হবে।')}"


QUOTED = "মন্ত্রী বলেন, ‘২০২৪ সালের বাজেটে ১২ হাজার কোটি টাকা কৃষিতে যাবে।’"


def test_repeats_are_found_across_digit_scripts_and_quote_styles_and_the_first_form_is_shown() -> None:
    # The same paragraph with ASCII digits and straight quotes is a repeat; the first is kept as written.
    retyped = QUOTED.replace("‘", "'").replace("’", "'").replace("২০২৪", "2024").replace("১২", "12")
    assert retyped != QUOTED and normalize(retyped) == normalize(QUOTED)
    assert clean_text(f"{QUOTED}\n{BODY}\n{retyped}") == f"{tidy(QUOTED)}\n\n{tidy(BODY)}"
    # Also when the digits are at the end, where repeats are first looked for.
    total = "সব মিলিয়ে এ বছর কৃষি খাতে মোট বরাদ্দ দাঁড়াল ১২,৫০০"
    assert clean_text(f"{total}\n{BODY}\n{total.replace('১২,৫০০', '12,500')}") == f"{tidy(total)}\n\n{tidy(BODY)}"
    assert clean_text(f"{total}।\n{BODY} {total.replace('১২,৫০০', '12,500')}।") == f"{tidy(total)}।\n\n{tidy(BODY)}"
    # A repeated sentence inside a later paragraph goes; the sentences kept there keep their form.
    later = f"“নতুন কথা” হলো ১৫ জেলায় সেচ প্রকল্প শুরু হবে। {retyped} তিনি ৩ দফায় কথা বলেন।"
    assert clean_text(f"{QUOTED}\n{later}") == (
        f"{tidy(QUOTED)}\n\n{tidy('“নতুন কথা” হলো ১৫ জেলায় সেচ প্রকল্প শুরু হবে। তিনি ৩ দফায় কথা বলেন।')}"
    )


def test_sentences_are_split_in_normalised_form_so_a_quote_glued_to_a_danda_stays_with_it() -> None:
    # “ typed as a closing quote: normalised it is ", so the split falls after it and the next
    # sentence has four words (not a fifth token “), too short to count as a repeat.
    first = "সরকার নতুন বাজেট দিয়েছে। পনেরো জেলায় সেচ প্রকল্প।"
    second = "মন্ত্রী বলেন, “কাজ দ্রুত এগোবে।“ পনেরো জেলায় সেচ প্রকল্প।"
    assert clean_text(f"{first}\n{second}") == f"{tidy(first)}\n\n{tidy(second)}"
    # At five words it is a repeat; the quote glued to the danda stays with the sentence before.
    third = "মন্ত্রী বলেন, “কাজ দ্রুত এগোবে।“ পনেরো জেলায় নতুন সেচ প্রকল্প।"
    fourth = "সরকার জানায়, পনেরো জেলায় নতুন সেচ প্রকল্প।"
    assert clean_text(f"{fourth}\n{third}") == f"{tidy(fourth)}\n\n{tidy('মন্ত্রী বলেন, “কাজ দ্রুত এগোবে।“')}"
