import sys

from voicebox_e2e.cli import main

sys.exit(main())
