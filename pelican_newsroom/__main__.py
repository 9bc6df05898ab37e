from pelican_newsroom.cli import main
import sys
sys.exit(main())
