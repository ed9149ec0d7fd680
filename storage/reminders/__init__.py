"""Tables and repositories of calendar events, reminders, acknowledgements and the quiz:
``models``, ``repository.SqlReminderRepository`` (``uow.reminders``, made of the
``calendar``, ``planning``, ``dispatching`` and ``acknowledgements`` parts over
``deliveries``) and ``quiz.SqlQuizRepository`` (``uow.quiz``)."""
