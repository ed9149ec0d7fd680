"""The demo loaded by `lianzheng demo`: the organisation (``organisation``, which loads the
rest), pledges, records (``records``, with ``cases`` and the ``seeder`` both use), the quiz
and reminders."""
