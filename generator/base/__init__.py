"""What every part of mentorbook stands on: errors, paths, languages, YAML, the writer."""

# the cycle collector's thresholds while a command runs (cli.run) and while a cluster's worker runs a
# cohort's chunk (staff/executor.py): every 20,000 new objects instead of 700, older ones as Python's
# ratios say (a build makes many objects that live until it ends, and few reference cycles)
COLLECTOR_THRESHOLDS = (20_000, 10, 10)
