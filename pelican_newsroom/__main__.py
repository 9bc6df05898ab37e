import sys

from pelican_newsroom.cli import main

sys.exit(main())
