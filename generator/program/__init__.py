"""What a program publishes: its project (configuration, definitions, pages, directory) and how it is read."""

PAGE_SIZES = ("letter", "a4")  # paper sizes of every PDF mentorbook makes (here: --help reads it, and nothing more)
