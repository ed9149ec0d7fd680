"""Shape check of webhook updates: the fields the front ends read, with the right types.

Telegram sends well-formed updates, but anything reaching the webhook could be forged, and
python-telegram-bot builds its objects without checking types (a number where a text
should be passes, and fails later inside a handler). Both front ends therefore get the same
treatment here: an update whose fields we read are missing or of the wrong type is dropped
with a warning. Kinds of update the bot does not read pass through untouched (the
frameworks ignore them).
"""

from __future__ import annotations

from typing import Any

_INT64 = (-(2**63), 2**63 - 1)
MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")


def _is_int(value: object) -> bool:
    return type(value) is int and _INT64[0] <= value <= _INT64[1]


def _str(obj: dict[str, Any], key: str, required: bool = False) -> str | None:
    if key not in obj or obj[key] is None:
        return f"{key} missing" if required else None
    return None if isinstance(obj[key], str) else f"{key} is not a string"


def _user(value: object, where: str) -> str | None:
    if not isinstance(value, dict):
        return f"{where} is not an object"
    if not _is_int(value.get("id")):
        return f"{where}.id is not an id"
    if type(value.get("is_bot", False)) is not bool:
        return f"{where}.is_bot is not a boolean"
    for key, required in (("first_name", True), ("last_name", False), ("language_code", False)):
        if problem := _str(value, key, required):
            return f"{where}.{problem}"
    return None


def _message(value: object, where: str) -> str | None:
    if not isinstance(value, dict):
        return f"{where} is not an object"
    if not _is_int(value.get("message_id")) or not _is_int(value.get("date")):
        return f"{where} lacks a message id or date"
    chat = value.get("chat")
    if not isinstance(chat, dict) or not _is_int(chat.get("id")):
        return f"{where}.chat is not a chat"
    if not isinstance(chat.get("type"), str):
        return f"{where}.chat.type is not a string"
    if "from" in value and (problem := _user(value["from"], f"{where}.from")):
        return problem
    for key in ("text", "caption"):
        if problem := _str(value, key):
            return f"{where}.{problem}"
    photo = value.get("photo")
    if photo is not None and not (
        isinstance(photo, list)
        and photo
        and all(isinstance(p, dict) and isinstance(p.get("file_id"), str) for p in photo)
    ):
        return f"{where}.photo is not a list of photos"
    document = value.get("document")
    if document is not None and not (
        isinstance(document, dict)
        and isinstance(document.get("file_id"), str)
        and _str(document, "file_name") is None
    ):
        return f"{where}.document is not a document"
    return None


def _callback(value: object) -> str | None:
    if not isinstance(value, dict):
        return "callback_query is not an object"
    if problem := _str(value, "id", required=True) or _str(value, "data"):
        return f"callback_query.{problem}"
    if problem := _user(value.get("from"), "callback_query.from"):
        return problem
    if "message" in value and value["message"] is not None:
        return _message(value["message"], "callback_query.message")
    return None


def _poll_answer(value: object) -> str | None:
    if not isinstance(value, dict):
        return "poll_answer is not an object"
    if problem := _str(value, "poll_id", required=True):
        return f"poll_answer.{problem}"
    if value.get("user") is not None and (problem := _user(value["user"], "poll_answer.user")):
        return problem
    options = value.get("option_ids")
    if not isinstance(options, list) or not all(_is_int(o) for o in options):
        return "poll_answer.option_ids is not a list of numbers"
    return None


def malformed(update: dict[str, Any]) -> str | None:
    """Why the bot cannot use this update (None when it can, or does not read its kind)."""
    for kind in MESSAGE_KINDS:
        if kind in update:
            return _message(update[kind], kind)
    if "callback_query" in update:
        return _callback(update["callback_query"])
    if "poll_answer" in update:
        return _poll_answer(update["poll_answer"])
    return None
