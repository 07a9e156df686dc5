"""AS2 channel (RFC 4130): signed, encrypted, compressed messages and MDNs, via pyas2lib.

Importing this package first installs the oscrypto version-probe fix (see
``_oscrypto_compat``): every module here that imports pyas2lib is a submodule, so the fix is
always in place before pyas2lib (and its oscrypto) is imported.
"""

from procurelink.adapters.channels.as2 import _oscrypto_compat

_oscrypto_compat.install()
