"""``python -m rai_charts.sandbox``: the same as ``rai-charts sandbox``."""

import sys

from rai_charts._cli import main

sys.exit(main(["sandbox", *sys.argv[1:]]))
