"""Shared tables and repositories, one module per aggregate: ``units``, ``people`` (with
their role grants), ``invitations``, ``audit``, ``conversations`` (open forms),
``questions``, ``updates`` (processed update ids) and ``buttons`` (button tokens); the
tables in ``models`` and the SQL helpers every repository uses in ``sql``."""
