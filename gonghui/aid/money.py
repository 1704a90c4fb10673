"""Amounts of money in aid: the one rule of ``gonghui.core.money`` (re-exported here, since the
services, views and tests of aid import it from this module), and the one yuan format of core.

Every door (console form, worker page, API, demo) goes through ``parse_amount``: a negative, zero,
NaN, infinite, absurdly large (1e309), over-precise (0.001) or float amount is refused with a
message in the user's language, never rounded.
"""


from gonghui.core.money import CENT, MAX_AMOUNT, AmountError, parse_amount, yuan

__all__ = ["CENT", "MAX_AMOUNT", "AmountError", "parse_amount", "yuan"]
