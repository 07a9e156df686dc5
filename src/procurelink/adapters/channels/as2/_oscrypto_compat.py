"""Make oscrypto 1.3.0 (pinned by pyas2lib) load on OpenSSL 3.0.10 and later.

Why: oscrypto finds the libcrypto version with the regular expression
``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``, which allows one digit for the patch number. Debian 12 ships
OpenSSL 3.0.1x ("OpenSSL 3.0.19 27 Jan 2026"): the pattern finds no match and importing
oscrypto (hence pyas2lib) raises ``LibraryNotFoundError: Error detecting the version of
libcrypto``. oscrypto's master fixed it (wbond/oscrypto#76, commit d5f3437: ``\\d+``) but has
made no release since 1.3.0, and pyas2lib pins ``oscrypto==1.3.0``.

How: a meta path finder serves oscrypto's two version-probe modules
(``_libcrypto_cffi`` and ``_libcrypto_ctypes``) from their installed source with that one
pattern widened, exactly as upstream did. Nothing else in oscrypto changes, nothing is
vendored, and the bytecode cache is bypassed for those two modules so the fix cannot be
shadowed by a stale ``.pyc``.

When to remove: once pyas2lib allows an oscrypto release containing the fix (or drops
oscrypto). The finder is inert when the installed source no longer holds the broken pattern;
``tests/integration/channels/test_as2.py`` says when that happens.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import CodeType, ModuleType

# The exact text (in the Python source) of the broken call and its upstream fix.
BROKEN_PATTERN = "re.search('\\\\b(\\\\d\\\\.\\\\d\\\\.\\\\d[a-z]*)\\\\b', version_string)"
FIXED_PATTERN = "re.search('\\\\b(\\\\d\\\\.\\\\d\\\\.\\\\d+[a-z]*)\\\\b', version_string)"
PROBE_MODULES = frozenset(
    {"oscrypto._openssl._libcrypto_cffi", "oscrypto._openssl._libcrypto_ctypes"}
)


class _FixedProbeLoader(importlib.machinery.SourceFileLoader):
    """Loads a probe module from its source with the version pattern widened."""

    def __init__(self, fullname: str, path: str, record: dict[str, bool]) -> None:
        super().__init__(fullname, path)
        self._record = record

    def get_code(self, fullname: str) -> CodeType:
        path = self.get_filename(fullname)
        source = self.get_data(path).decode("utf-8")
        self._record[fullname] = BROKEN_PATTERN in source
        return compile(
            source.replace(BROKEN_PATTERN, FIXED_PATTERN), path, "exec", dont_inherit=True
        )


class OscryptoVersionProbeFinder(importlib.abc.MetaPathFinder):
    """Routes oscrypto's version-probe modules through ``_FixedProbeLoader``."""

    def __init__(self) -> None:
        # Probe module name -> whether its source held the broken pattern (and was fixed).
        self.patched: dict[str, bool] = {}

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in PROBE_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            return None
        loader = _FixedProbeLoader(fullname, spec.origin, self.patched)
        return importlib.util.spec_from_file_location(fullname, spec.origin, loader=loader)


def install() -> OscryptoVersionProbeFinder:
    """Put the finder first on ``sys.meta_path`` (once); call before importing pyas2lib."""
    for finder in sys.meta_path:
        if isinstance(finder, OscryptoVersionProbeFinder):
            return finder
    finder = OscryptoVersionProbeFinder()
    sys.meta_path.insert(0, finder)
    return finder
