"""Summary queries and the pre-aggregated snapshot: ``sql/`` (one SQL builder for any
subtree and period), ``repository`` (live figures and exports, ``uow.summary``),
``snapshot`` (reading, claiming and refreshing kept figures) with ``snapshot_sql`` (the
refresh statement), and the tables in ``models``."""
