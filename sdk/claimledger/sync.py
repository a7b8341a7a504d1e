"""The former name of `claimledger.mirror`, kept for code written against it.

`from claimledger.sync import Mirror` is `claimledger.mirror.Mirror`.
"""

from claimledger.mirror import *  # noqa: F403
from claimledger.mirror import __all__ as __all__
