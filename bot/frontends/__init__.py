"""Telegram front ends: python-telegram-bot and aiogram adapters, the webhook, rate limits,
throttled outgoing messages, command menus and the update shape both accept.
"""
