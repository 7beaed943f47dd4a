import sys

from ghl.worker import main

sys.exit(main())
