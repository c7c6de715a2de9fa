"""Compile the message catalogues (``make i18n``): ``locale/<lang>/LC_MESSAGES/nsss.po``
to ``nsss.mo``, after checking every translation's placeholders.

Every message of the workbench is brace-formatted (``{n} programmes``). Babel's own
``pybabel compile`` also reads each ``%`` followed by a letter as a %-format
("95% interval" holds ``% i``) and refuses a translation that does not repeat it, so
this script compiles with Babel's writer and a brace check instead: a translation may
use only the placeholders of its message id, and must keep every one of them (a
plural's singular may drop ``{n}``, as in "one programme").

    python -m tools.compile_catalogue nsss_analysis/reference/locale
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}(?!\})")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def placeholder_errors(po: Path) -> list[str]:
    """One line per translation whose placeholders differ from its message id's."""
    with open(po, "rb") as f:
        catalogue = read_po(f)
    errors = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(placeholders(i) for i in ids))
        for number, string in enumerate(strings):
            if not string:
                continue
            got = placeholders(string)
            missing = wanted - got - ({"n"} if len(ids) > 1 and number == 0 else set())
            if got - wanted or missing:
                errors.append(f"{po}:{message.lineno}: {ids[0][:60]!r}: placeholders "
                              f"{sorted(got)} in the translation, {sorted(wanted)} in the message id")
    return errors


def compile_catalogue(po: Path) -> None:
    """Write ``po``'s ``.mo`` beside it, atomically."""
    with open(po, "rb") as f:
        catalogue = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    target = po.with_suffix(".mo")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".nsss.mo.")
    with os.fdopen(fd, "wb") as f:
        f.write(buffer.getvalue())
    os.replace(tmp, target)
    translated = sum(1 for m in catalogue if m.id and m.string and all(m.string if isinstance(m.string, tuple) else (m.string,)))
    print(f"{po}: {translated} of {sum(1 for m in catalogue if m.id)} messages translated; compiled {target.name}")


def main(argv: list[str]) -> int:
    locale = Path(argv[0] if argv else "nsss_analysis/reference/locale")
    catalogues = sorted(locale.glob("*/LC_MESSAGES/*.po"))
    errors = [e for po in catalogues for e in placeholder_errors(po)]
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        return 1
    for po in catalogues:
        compile_catalogue(po)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
