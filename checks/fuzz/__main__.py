import sys

from checks.fuzz.cli import main

sys.exit(main(sys.argv[1:]))
