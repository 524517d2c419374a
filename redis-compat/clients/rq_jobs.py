"""Job functions for rq_results_check.py: an RQ worker imports jobs by module and name."""


def square(x):
    return x * x


def explode():
    return 1 / 0
