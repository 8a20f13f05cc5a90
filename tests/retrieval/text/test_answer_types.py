"""The kind of answer a question asks for, and which texts hold one."""

from __future__ import annotations

import pytest

from retrieval.text.answer_types import expected_type, holds


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("পুতিন কবে পিয়ংইয়ং সফর করেন?", "date"),
        ("চুক্তিটি কোন তারিখে স্বাক্ষরিত হয়?", "date"),
        ("২০২২ সালে কত সালে যুদ্ধ শুরু হয়?", "date"),  # "কত সালে" is tried before "কত"
        ("যুদ্ধে কতজন সেনা নিহত হয়েছেন?", "number"),
        ("সেতুটির দৈর্ঘ্য কত?", "number"),
        ("চুক্তিতে কে স্বাক্ষর করেন?", "name"),
        ("বৈঠকটি কোথায় হয়েছিল?", "place"),
        ("When did Putin visit Pyongyang?", "date"),
        ("How many soldiers died?", "number"),
        ("putin kobe gechilen?", "date"),
        ("chuktite ki ache?", None),
        ("পুতিন চিঠিতে কী বলেছেন?", None),
    ],
)
def test_question_words_name_the_answer_type(question: str, wanted: str | None) -> None:
    assert expected_type(question) == wanted


def test_dates_and_numbers_in_either_script_count() -> None:
    assert holds("বুধবার (১৯ জুন) চুক্তিটি স্বাক্ষরিত হয়।", "date")
    assert holds("The treaty was signed on 19 June.", "date")
    assert holds("হামলায় ২১ হাজার ৮৬৩ জন আহত হয়েছেন।", "number")
    assert holds("Some 4400 soldiers died.", "number")
    assert not holds("দুই দেশের সম্পর্ক আরও গভীর হবে।", "date")


def test_places_and_names_by_the_words_beside_them() -> None:
    assert holds("রাজধানী মস্কোতে বৈঠক হয়।", "place")
    assert holds("প্রেসিডেন্ট ভ্লাদিমির পুতিন বলেন, সম্পর্ক গভীর হবে।", "name")
    assert not holds("আলোচনা ফলপ্রসূ হয়েছে।", "place")
