"""Weekly or monthly summary digests a supervisor subscribes to: the choice, the plan
and the sending.
"""
