"""The switch that blocks live model calls (the test suite turns it off).

While `ALLOW_MODEL_REQUESTS` is False, every LLM client refuses any server that is not
on the loopback address, whatever the provider, so no test can reach the network or
spend money.
"""

ALLOW_MODEL_REQUESTS = True
