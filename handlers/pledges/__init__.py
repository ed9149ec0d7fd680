"""Annual integrity pledges: the pledge form, check-ins before the democratic life
meeting, mass appraisal and organisational assessment, unit progress and corrections.
"""
