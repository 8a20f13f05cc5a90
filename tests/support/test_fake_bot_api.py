"""The fake Bot API server, driven by python-telegram-bot's real Bot and Application over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.support.fake_bot_api import FakeBotApi

Json = dict[str, Any]


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as real_bot:
        yield real_bot


@pytest.fixture
def user(fake: FakeBotApi) -> Json:
    return fake.make_user(5001, "রহিম", username="rahim_test")


@pytest.fixture
def chat(fake: FakeBotApi, user: Json) -> Json:
    """A private chat the server has seen, because the user wrote in it."""
    private = fake.private_chat(user)
    fake.send_message(private, user, "/start")
    return private


def ci(text: str) -> str:
    """A case-insensitive literal pattern: PTB capitalize()s descriptions (Button_data_invalid)."""
    return "(?i)" + re.escape(text)


def keyboard(*callback_data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"বোতাম {i}", callback_data=d)] for i, d in enumerate(callback_data)]
    )


def articles(count: int, prefix: str = "r") -> list[InlineQueryResultArticle]:
    return [
        InlineQueryResultArticle(
            f"{prefix}{i}",
            f"ফলাফল {i}",
            InputTextMessageContent(f"<b>উত্তর {i}</b>", parse_mode=ParseMode.HTML),
        )
        for i in range(count)
    ]


# -- identity, tokens, unknown methods -----------------------------------------------------------


async def test_get_me_reports_the_bot_identity(fake: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == "sondhani_test_bot"
    assert me.id == 100000 and me.is_bot
    assert me.can_join_groups is True and me.supports_inline_queries is True
    assert me.can_read_all_group_messages is False  # privacy mode, as on Telegram by default
    assert fake.calls[0][0] == "getMe"


async def test_wrong_token_is_rejected_as_invalid_token(fake: FakeBotApi) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG-TOKEN", base_url=fake.base_url):
            pass
    assert fake.errors == [("getMe", 401, "Unauthorized")]


async def test_unknown_method_answers_404(fake: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
    assert fake.errors[-1] == ("sendTelepathy", 404, "Not Found: method not found")


# -- sending messages ----------------------------------------------------------------------------


async def test_send_message_returns_a_message_from_the_bot(fake: FakeBotApi, bot: Bot, chat: Json) -> None:
    message = await bot.send_message(chat["id"], "নমস্কার")
    assert isinstance(message, Message)
    assert message.text == "নমস্কার"
    assert message.chat.id == chat["id"] and message.from_user is not None
    assert message.from_user.id == fake.bot_user["id"]
    assert message.message_id == 2  # the user's "/start" was message 1 in this chat
    assert fake.sent[-1]["text"] == "নমস্কার" and fake.sent[-1]["parse_mode"] is None
    assert fake.messages_to(chat["id"]) == [fake.sent[-1]]


async def test_send_message_to_an_unseen_chat_fails(fake: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=ci("chat not found")):
        await bot.send_message(424242, "hello")
    assert fake.errors == [("sendMessage", 400, "Bad Request: chat not found")]


async def test_blocked_user_gives_forbidden(fake: FakeBotApi, bot: Bot, chat: Json, user: Json) -> None:
    fake.block_bot(user)
    with pytest.raises(Forbidden, match=ci("blocked by the user")):
        await bot.send_message(chat["id"], "hello")


@pytest.mark.parametrize(
    ("text", "parse_mode"),
    [
        ("ক" * 4096, None),
        ("<b>" + "ক" * 4096 + "</b>", ParseMode.HTML),  # tags do not count
        ("&amp;" * 4096, ParseMode.HTML),  # entities count as one character
        ("😀" * 2048, None),  # 4096 UTF-16 code units
    ],
)
async def test_text_of_exactly_4096_units_is_accepted(bot: Bot, chat: Json, text: str, parse_mode: str | None) -> None:
    message = await bot.send_message(chat["id"], text, parse_mode=parse_mode)
    assert message.text is not None and len(message.text.encode("utf-16-le")) == 2 * 4096


@pytest.mark.parametrize(
    ("text", "parse_mode"),
    [("ক" * 4097, None), ("<b>" + "ক" * 4097 + "</b>", ParseMode.HTML), ("😀" * 2048 + "!", None)],
)
async def test_text_over_4096_units_is_too_long(bot: Bot, chat: Json, text: str, parse_mode: str | None) -> None:
    with pytest.raises(BadRequest, match=ci("too long")):
        await bot.send_message(chat["id"], text, parse_mode=parse_mode)


@pytest.mark.parametrize("text", ["", "   \n", "<b></b>"])
async def test_empty_text_is_rejected(bot: Bot, chat: Json, text: str) -> None:
    with pytest.raises(BadRequest, match=ci("message text is empty")):
        await bot.send_message(chat["id"], text, parse_mode=ParseMode.HTML)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<b>খোলা ট্যাগ", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<div>খবর</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("দাম < ৫ টাকা", "Unsupported start tag"),
        ("শেষে <", "Unclosed start tag at byte offset"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("AT&T", 'Unescaped "&"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_invalid_html_cannot_be_parsed(fake: FakeBotApi, bot: Bot, chat: Json, text: str, reason: str) -> None:
    with pytest.raises(BadRequest, match=ci("can't parse entities")) as caught:
        await bot.send_message(chat["id"], text, parse_mode=ParseMode.HTML)
    assert reason.lower() in caught.value.message.lower()  # PTB capitalize()s the description
    assert fake.sent == []


async def test_without_parse_mode_html_is_literal(bot: Bot, chat: Json) -> None:
    message = await bot.send_message(chat["id"], "<div>AT&T</div>")
    assert message.text == "<div>AT&T</div>" and not message.entities


async def test_html_is_reduced_to_visible_text_and_entities(fake: FakeBotApi, bot: Bot, chat: Json) -> None:
    html = '😀 <b>খবর</b> &amp; <a href="https://example.com/?a=1&amp;b=2">সূত্র</a>'
    message = await bot.send_message(chat["id"], html, parse_mode=ParseMode.HTML)
    assert message.text == "😀 খবর & সূত্র"
    bold, link = message.entities
    assert (bold.type, bold.offset, bold.length) == ("bold", 3, 3)  # the emoji is 2 UTF-16 units
    assert (link.type, link.url, link.offset, link.length) == (
        "text_link",
        "https://example.com/?a=1&b=2",
        9,
        5,
    )
    assert fake.sent[-1]["parse_mode"] == "HTML"


async def test_reply_to_unknown_message_fails_unless_allowed(fake: FakeBotApi, bot: Bot, chat: Json) -> None:
    with pytest.raises(BadRequest, match=ci("message to be replied not found")):
        await bot.send_message(chat["id"], "উত্তর", reply_to_message_id=999)
    message = await bot.send_message(chat["id"], "উত্তর", reply_to_message_id=999, allow_sending_without_reply=True)
    assert message.reply_to_message is None
    quoted = await bot.send_message(chat["id"], "উত্তর", reply_to_message_id=1)
    assert quoted.reply_to_message is not None and quoted.reply_to_message.text == "/start"


# -- keyboards and edits -------------------------------------------------------------------------


async def test_callback_data_is_limited_to_64_bytes(fake: FakeBotApi, bot: Bot, chat: Json) -> None:
    with pytest.raises(BadRequest, match=ci("BUTTON_DATA_INVALID")):
        await bot.send_message(chat["id"], "প্রশ্ন", reply_markup=keyboard("ক" * 22))  # 66 bytes
    message = await bot.send_message(chat["id"], "প্রশ্ন", reply_markup=keyboard("ক" * 21))  # 63 bytes
    assert message.reply_markup is not None
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "ক" * 21
    assert fake.sent[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ক" * 21


async def test_button_without_action_is_rejected(bot: Bot, chat: Json) -> None:
    with pytest.raises(BadRequest, match=ci("Text buttons are unallowed")):
        await bot.send_message(chat["id"], "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("শুধু লেখা")]]))


async def test_edit_with_identical_content_is_not_modified(fake: FakeBotApi, bot: Bot, chat: Json) -> None:
    message = await bot.send_message(chat["id"], "<b>১</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard("more"))
    with pytest.raises(BadRequest, match=ci("message is not modified")):
        await message.edit_text("<b>১</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard("more"))
    edited = await message.edit_text("<b>২</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard("more"))
    assert isinstance(edited, Message) and edited.text == "২"
    assert fake.sent[-1]["text"] == "২" and fake.edits[-1]["method"] == "editMessageText"
    with pytest.raises(BadRequest, match=ci("message is not modified")):
        await edited.edit_reply_markup(keyboard("more"))
    await edited.edit_reply_markup(None)
    assert fake.sent[-1]["reply_markup"] is None and len(fake.edits) == 2


async def test_edit_of_unknown_message_fails(bot: Bot, chat: Json) -> None:
    with pytest.raises(BadRequest, match=ci("message to edit not found")):
        await bot.edit_message_text("নতুন", chat_id=chat["id"], message_id=77)


async def test_edit_and_delete_follow_the_message(fake: FakeBotApi, bot: Bot, chat: Json) -> None:
    message = await bot.send_message(chat["id"], "অপেক্ষা করুন")
    assert await message.delete()
    assert fake.sent[-1]["deleted"] is True and fake.messages_to(chat["id"]) == []
    with pytest.raises(BadRequest, match=ci("message to delete not found")):
        await message.delete()


# -- fault injection -----------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # int retry_after
async def test_fail_next_raises_retry_after_then_recovers(fake: FakeBotApi, bot: Bot, chat: Json) -> None:
    fake.fail_next("sendMessage", 1, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat["id"], "১")
    assert caught.value.retry_after in (3, dtm.timedelta(seconds=3))
    assert fake.errors == [("sendMessage", 429, "Too Many Requests: retry after 3")]
    assert (await bot.send_message(chat["id"], "২")).text == "২"


async def test_conflict_flag_makes_get_updates_conflict(fake: FakeBotApi, bot: Bot) -> None:
    fake.conflict = True
    with pytest.raises(Conflict, match=ci("terminated by other getUpdates request")):
        await bot.get_updates(timeout=0)


async def test_a_newer_get_updates_terminates_the_pending_one(fake: FakeBotApi, bot: Bot) -> None:
    async with Bot(fake.token, base_url=fake.base_url) as second_instance:
        first = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(second_instance.get_updates(timeout=0))
        with pytest.raises(Conflict, match=ci("only one bot instance")):
            await first
        assert await second == ()


# -- updates: long polling and webhook -----------------------------------------------------------


async def test_long_poll_returns_as_soon_as_an_update_is_queued(fake: FakeBotApi, bot: Bot, user: Json) -> None:
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.3)
    assert not poll.done()  # it really waits
    started = loop.time()
    fake.send_message(fake.private_chat(user), user, "প্রশ্ন?")
    updates = await asyncio.wait_for(poll, 2)
    assert loop.time() - started < 1.0
    assert [u.message.text for u in updates if u.message] == ["প্রশ্ন?"]


async def test_offset_confirms_updates(fake: FakeBotApi, bot: Bot, user: Json) -> None:
    chat = fake.private_chat(user)
    for text in ("এক", "দুই", "তিন"):
        fake.send_message(chat, user, text)
    first = await bot.get_updates(timeout=0, limit=2)
    assert [u.message.text for u in first if u.message] == ["এক", "দুই"]
    rest = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert [u.message.text for u in rest if u.message] == ["তিন"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0) == ()


async def test_webhook_receives_updates_and_blocks_polling(fake: FakeBotApi, bot: Bot, user: Json) -> None:
    received: list[tuple[str | None, Json]] = []

    async def receive(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        port = runner.addresses[0][1]
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        fake.send_message(fake.private_chat(user), user, "ওয়েবহুক")
        await fake.wait_for(lambda: len(received) == 1, timeout=5)
        assert received[0][0] == "s3cret" and received[0][1]["message"]["text"] == "ওয়েবহুক"
        with pytest.raises(Conflict, match=ci("webhook is active")):
            await bot.get_updates(timeout=0)
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook") and info.pending_update_count == 0
        assert await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""
    finally:
        await runner.cleanup()


async def test_group_privacy_mode_delivers_only_what_telegram_would(fake: FakeBotApi, bot: Bot, user: Json) -> None:
    group = fake.group_chat()
    fake.send_message(group, user, "@sondhani_test_bot খবর কী?")  # plain mention: not delivered
    fake.send_message(group, user, "/ask@other_bot খবর")  # another bot's command: not delivered
    fake.send_message(group, user, "/ask@sondhani_test_bot খবর")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["/ask@sondhani_test_bot খবর"]
    command = updates[0].message.entities[0] if updates[0].message else None
    assert command is not None and (command.type, command.offset, command.length) == (
        "bot_command",
        0,
        22,
    )
    reply = await bot.send_message(group["id"], "উত্তর")
    fake.send_message(group, user, "আরও বলুন", reply_to=reply.to_dict())
    later = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    assert [u.message.text for u in later if u.message] == ["আরও বলুন"]


# -- inline mode, callbacks, commands, files -----------------------------------------------------


async def test_inline_answer_limits(fake: FakeBotApi, bot: Bot, user: Json) -> None:
    query_id = fake.inline_query(user, "নির্বাচন")
    with pytest.raises(BadRequest, match=ci("RESULTS_TOO_MUCH")):
        await bot.answer_inline_query(query_id, articles(51))
    with pytest.raises(BadRequest, match=ci("RESULT_ID_DUPLICATE")):
        await bot.answer_inline_query(query_id, articles(2, prefix="same") + articles(1, prefix="same"))
    with pytest.raises(BadRequest, match=ci("RESULT_ID_INVALID")):
        await bot.answer_inline_query(query_id, articles(1, prefix="x" * 64))
    assert await bot.answer_inline_query(query_id, articles(50))
    assert len(fake.inline_answers[query_id]["results"]) == 50
    assert fake.inline_answers[query_id]["results"][0]["input_message_content"]["message_text"] == "<b>উত্তর 0</b>"
    with pytest.raises(BadRequest, match=ci("query is too old")):
        await bot.answer_inline_query(query_id, articles(1))


async def test_inline_message_text_obeys_html_rules(fake: FakeBotApi, bot: Bot, user: Json) -> None:
    query_id = fake.inline_query(user, "x")
    bad = InlineQueryResultArticle("1", "t", InputTextMessageContent("<p>x</p>", parse_mode=ParseMode.HTML))
    with pytest.raises(BadRequest, match=ci("can't parse entities")):
        await bot.answer_inline_query(query_id, [bad])


async def test_button_press_and_callback_answer(fake: FakeBotApi, bot: Bot, chat: Json, user: Json) -> None:
    message = await bot.send_message(chat["id"], "আরও?", reply_markup=keyboard("more:1"))
    with pytest.raises(ValueError, match="no button"):
        fake.press_button(fake.sent[-1], "other", user)
    query_id = fake.press_button(fake.sent[-1], "more:1", user)
    updates = await bot.get_updates(timeout=0)
    query = updates[-1].callback_query
    assert query is not None and query.data == "more:1" and query.message is not None
    assert query.message.message_id == message.message_id
    with pytest.raises(BadRequest, match=ci("MESSAGE_TOO_LONG")):
        await query.answer("ক" * 201)
    assert await query.answer("ঠিক আছে")
    assert fake.callback_answers[query_id]["text"] == "ঠিক আছে"


async def test_commands_are_stored_per_scope(fake: FakeBotApi, bot: Bot, chat: Json) -> None:
    await bot.set_my_commands([BotCommand("ask", "প্রশ্ন করুন")])
    scope = BotCommandScopeChat(chat["id"])
    await bot.set_my_commands([BotCommand("admin", "প্রশাসন")], scope=scope)
    assert fake.commands['{"type": "default"}'] == [{"command": "ask", "description": "প্রশ্ন করুন"}]
    assert [c.command for c in await bot.get_my_commands(scope=scope)] == ["admin"]
    with pytest.raises(BadRequest, match=ci("BOT_COMMAND_INVALID")):
        await bot.set_my_commands([BotCommand("Ask", "x")])
    await bot.delete_my_commands(scope=scope)
    assert list(fake.commands) == ['{"type": "default"}']


async def test_document_round_trip_through_get_file(fake: FakeBotApi, bot: Bot, user: Json) -> None:
    content = "বাংলা সংবাদ\n".encode() * 100
    fake.send_document(fake.private_chat(user), user, "news.txt", content, caption="ইনডেক্স করুন")
    updates = await bot.get_updates(timeout=0)
    document = updates[-1].message.document if updates[-1].message else None
    assert document is not None and document.file_name == "news.txt" and document.file_size == len(content)
    telegram_file = await bot.get_file(document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == content
    with pytest.raises(BadRequest, match=ci("invalid file_id")):
        await bot.get_file("no-such-file")


async def test_bot_can_upload_a_document(fake: FakeBotApi, bot: Bot, chat: Json) -> None:
    message = await bot.send_document(
        chat["id"],
        b"id,score\n1,0.9\n",
        filename="hits.csv",
        caption="<i>ফলাফল</i>",
        parse_mode=ParseMode.HTML,
    )
    assert message.document is not None and message.caption == "ফলাফল"
    uploaded = fake.calls[-1][1]["document"]
    assert uploaded.filename == "hits.csv" and uploaded.content == b"id,score\n1,0.9\n"
    downloaded = await (await bot.get_file(message.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"id,score\n1,0.9\n"


# -- a whole Application -------------------------------------------------------------------------


async def test_application_answers_start_through_polling(fake: FakeBotApi, user: Json) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("<b>স্বাগতম</b>", parse_mode=ParseMode.HTML)

    application = (
        ApplicationBuilder().token(fake.token).base_url(fake.base_url).base_file_url(fake.base_file_url).build()
    )
    application.add_handler(CommandHandler("start", start))
    chat = fake.private_chat(user)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        fake.send_message(chat, user, "/start")
        sent = await fake.wait_for_sent(lambda m: m["chat"]["id"] == chat["id"], timeout=10)
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
    assert sent[0]["text"] == "স্বাগতম" and sent[0]["entities"][0]["type"] == "bold"
    assert [method for method, _ in fake.calls[:3]] == ["getMe", "deleteWebhook", "getUpdates"]
    assert fake.pending_updates() == []  # the update was confirmed on shutdown
    assert fake.errors == []
