"""Tables and repository of warning talks, notices, assessments and accountability cases."""
