"""The framework-agnostic core of 廉政助手.

Nothing in this package imports a Telegram library or SQLAlchemy: front ends turn updates
into :class:`handlers.core.types.Request` objects and render the replies; storage is reached only
through the ports in :mod:`handlers.core.ports`.
"""
