"""Bot API methods without message bookkeeping: getMe, chats, chat actions, commands, getFile."""

from __future__ import annotations

import json
import re

from tests.support.fake_bot_api.errors import Json, bad_request
from tests.support.fake_bot_api.state import FakeBotState
from tests.support.fake_bot_api.validation import MAX_DOWNLOAD_SIZE, as_int

_CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice "
    "upload_document choose_sticker find_location record_video_note upload_video_note".split()
)
_BOT_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class SimpleMethods(FakeBotState):
    """getMe, getChat, getChatMember, sendChatAction, the bot command methods and getFile."""

    # -- simple methods -------------------------------------------------------------------------

    async def _ok(self, params: Json) -> bool:
        return True

    async def _get_me(self, params: Json) -> Json:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _send_chat_action(self, params: Json) -> bool:
        self._writable_chat(params.get("chat_id"))
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _get_chat(self, params: Json) -> Json:
        chat = self._chat(params.get("chat_id"))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, params: Json) -> Json:
        chat = self._chat(params.get("chat_id"))
        user_id = as_int(params, "user_id", "invalid user_id specified")
        user = self._users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        status = self.member_status.get((chat["id"], user_id), "member")
        return _chat_member(status, user)

    # -- commands and files ---------------------------------------------------------------------

    async def _set_my_commands(self, params: Json) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict) or not _BOT_COMMAND_RE.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key, language = self._commands_key(params)
        self.commands_by_language[(key, language)] = commands
        if not language:
            self.commands[key] = commands
        return True

    async def _delete_my_commands(self, params: Json) -> bool:
        key, language = self._commands_key(params)
        self.commands_by_language.pop((key, language), None)
        if not language:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, params: Json) -> list[Json]:
        return self.commands_by_language.get(self._commands_key(params), [])

    def _commands_key(self, params: Json) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _get_file(self, params: Json) -> Json:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_SIZE:
            raise bad_request("file is too big")
        return stored.as_file()


def _chat_member(status: str, user: Json) -> Json:
    if status == "creator":
        return {"status": status, "user": user, "is_anonymous": False}
    if status == "administrator":
        rights = (
            "can_be_edited can_manage_chat can_delete_messages can_manage_video_chats "
            "can_restrict_members can_promote_members can_change_info can_invite_users "
            "can_post_stories can_edit_stories can_delete_stories"
        ).split()
        return {
            "status": status,
            "user": user,
            "is_anonymous": False,
            **dict.fromkeys(rights, True),
        }
    if status == "kicked":
        return {"status": status, "user": user, "until_date": 0}
    if status in ("member", "left"):
        return {"status": status, "user": user}
    raise ValueError(f"unsupported member status {status!r}")
