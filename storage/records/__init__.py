"""Tables and repositories of warning talks, notices, assessments and accountability cases:
``models``, a repository module for each kind with queries of its own (``notices``,
``assessments``, ``cases``) on the shared ``versioned`` base, ``declared`` for every kind
declared with ``handlers.records.stored.Stored`` (warning talks: table and repository
derived from the declaration), the ``revisions`` log and ``repository.SqlRecordStore``
(``uow.records``)."""
