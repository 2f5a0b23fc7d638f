import sys

from graphapp.cli import main

sys.exit(main())
