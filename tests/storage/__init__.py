"""Tests of `storage`, each run on SQLite and on PostgreSQL (when `LZ_TEST_POSTGRES_URL` is set).

The top level tests what the whole store shares (database, unit of work, migrations,
encryption, faults); each subfolder a capability's repositories and its flows over SQL.
"""
