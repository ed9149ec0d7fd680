"""Tables and repositories of warning talks, notices, assessments and accountability cases:
``models``, one repository module per record kind (``talks``, ``notices``,
``assessments``, ``cases``) on the shared ``versioned`` base, the ``revisions`` log and
``repository.SqlRecordStore`` (``uow.records``)."""
