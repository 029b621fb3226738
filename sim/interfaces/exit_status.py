"""Exit status of every command: the same three numbers everywhere.

0: success. 1: a scenario failed while running (the others still ran). 2: invalid input (a bad
scenario, option or value, a date that does not exist), reported before anything runs.
"""

OK, FAILED, INVALID = 0, 1, 2
