"""The framework-free core every capability builds on: the request context, the command
router, the forms engine, the unit of work and shared ports, request/reply types, errors,
translations, the clock, parsing helpers, button tokens, flood control and typed shortcuts.
`core.app.handle` is the one entry point all front ends call.
"""
