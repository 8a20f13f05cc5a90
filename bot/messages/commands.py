"""The command menus Telegram shows (name, description): everyone's, and the admins' additions. In
Bengali only: the menus are published once per scope (bot.server.running.publish_commands), not per language."""

from __future__ import annotations

PUBLIC_COMMANDS = (
    ("start", "শুরু ও পরিচিতি"),
    ("help", "কীভাবে প্রশ্ন করবেন"),
    ("ask", "প্রশ্ন করুন (গ্রুপে): /ask আপনার প্রশ্ন"),
    ("sources", "কোন কোন খবর থেকে উত্তর আসে"),
    ("latest", "সর্বশেষ খবর: /latest বা /latest বিষয়"),
)
ADMIN_COMMANDS = (
    ("reindex", "সংগ্রহ আবার সূচিবদ্ধ করুন"),
    ("status", "ইঞ্জিনের অবস্থা"),
    ("stats", "ব্যবহারের পরিসংখ্যান"),
    ("add", "লিংক থেকে খবর যোগ করুন: /add URL"),
    ("feeds", "নিউজ ফিডের অবস্থা"),
    ("remove", "একটি খবর সংগ্রহ থেকে বাদ দিন: /remove আইডি"),
)
