"""Shared tables and repositories: units, people, roles, invitations, questions, audit, button tokens."""
