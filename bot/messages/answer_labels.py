"""The labels and buttons inside an answer: always Bengali, like the passages they frame, whatever the
asker's language."""

from __future__ import annotations

ANSWER_QUESTION = "🔎 <b>প্রশ্ন:</b> {question}"
ANSWER_PAGE = "পাতা {page}/{pages}"
ANSWER_LINK = "মূল খবর"
ALSO_REPORTED = "আরও প্রকাশ করেছে: {outlets}"  # other outlets' reports of the same story
BUTTON_NEXT = "পরের উত্তর ▶"
BUTTON_PREV = "◀ আগের"
BUTTON_UP = "👍"
BUTTON_DOWN = "👎"
