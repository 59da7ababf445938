"""What every part of mentorbook stands on: errors, paths, languages, YAML, the writer."""

# the cycle collector's thresholds while a command runs (set by __main__.run before anything else is
# imported) and while a cluster's worker runs a cohort's chunk (staff/executor.py): every 50,000 new
# objects instead of 700, older ones as Python's ratios say (a build makes many objects that live until
# it ends, and few reference cycles; a site build makes fewer than 50,000 and is never interrupted)
COLLECTOR_THRESHOLDS = (50_000, 10, 10)
