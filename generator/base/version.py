"""mentorbook's version, read by the package, the command line and the build backend."""

VERSION = "0.1.0"
