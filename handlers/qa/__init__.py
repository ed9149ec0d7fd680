"""Regulation questions and answers from the rule base (`knowledge/`): answer with the
citation, offer options, or decline honestly and log the gap.

Other capabilities see ``pass_latest_question``, which a typed 转人工 runs exactly as the
decline's "pass to staff" button would, and ``rule_base_declines`` (a typed name the asker may
not look up is told so only when the rule base has nothing for the message).
"""

from handlers.qa.ask import pass_latest_question, rule_base_declines

__all__ = ["pass_latest_question", "rule_base_declines"]
