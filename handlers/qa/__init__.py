"""Regulation questions and answers from the rule base (`knowledge/`): answer with the
citation, offer options, or decline honestly and log the gap.
"""
