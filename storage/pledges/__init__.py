"""Tables and repository of integrity pledges, check-ins and appraisals."""
