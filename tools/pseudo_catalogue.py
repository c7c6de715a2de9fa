"""Write the pseudo-locale's catalogue (``make i18n``): ``locale/en_XA/LC_MESSAGES/nsss.po``
from the message template ``nsss.pot``, every message "translated" the way Android and
Chromium make their ``en-XA`` pseudo-locale:

- every letter accented (``Programme`` -> ``Ƥŕöĝŕåɱɱé``), so a word that did not go
  through the catalogue stands out in upright Latin letters;
- about 40% longer (words of padding), as German or Bangla text may be, so a label
  that only fits in English is seen to be cut or to overlap;
- in brackets (``[Ƥŕöĝŕåɱɱé öñé ţŵö]``), so a message cut short or glued into another
  is seen, and text outside any bracket on a page did not come from the catalogue.

Placeholders (``{n}``, ``{unit:gen}``), HTML tags and entities, URLs and Markdown
link targets are kept as they are, so the messages still format and link.

    python -m tools.pseudo_catalogue nsss_analysis/reference/locale
"""

from __future__ import annotations

import io
import math
import os
import re
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

#: The pseudo-locale's folder under ``locale/`` (its code in ``reference/languages.csv`` is ``en-XA``).
FOLDER = "en_XA"
#: How much longer a pseudo message is than its message id.
EXPANSION = 0.4
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖƤǪŔŠŢÛṼŴẊÝŽ",
)
#: The padding words, accented like the rest.
_PADDING = "one two three four five six seven eight nine ten".translate(_ACCENTED).split()
#: What must stay as written: placeholders, HTML tags and entities, URLs, Markdown link targets.
_KEEP = re.compile(
    r"\{\{|\}\}|\{[^{}]*\}|<[^<>]+>|&[#A-Za-z0-9]+;|https?://[^\s)\]>]+|\]\([^)]*\)|%[sd]"
)


def accent(text: str) -> str:
    """``text`` with its letters accented, the parts :data:`_KEEP` names untouched.

    >>> accent("{n} programmes <b>now</b>")
    '{n} þŕöĝŕåɱɱéš <b>ñöŵ</b>'
    """
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out.append(text[last:m.start()].translate(_ACCENTED))
        out.append(m.group())
        last = m.end()
    out.append(text[last:].translate(_ACCENTED))
    return "".join(out)


def pseudo(text: str) -> str:
    """``text`` as the pseudo-locale writes it: accented, about 40% longer, in brackets.

    >>> pseudo("Programme")
    '[Ƥŕöĝŕåɱɱé öñé]'
    >>> pseudo("")
    ''
    """
    if not text:
        return text
    visible = len(_KEEP.sub("", text))
    padding, words = math.ceil(visible * EXPANSION), []
    while padding > 0:
        word = _PADDING[len(words) % len(_PADDING)]
        words.append(word)
        padding -= len(word) + 1
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    core = text.strip()
    if not core:
        return text
    body = "[" + accent(core) + (" " + " ".join(words) if words else "") + "]"
    return text[:lead] + body + (text[len(text) - trail:] if trail else "")


def pseudo_catalogue(template: Catalog) -> Catalog:
    """The pseudo-locale's catalogue of every message of ``template``."""
    out = Catalog(locale="en", domain=template.domain, project=template.project,
                  version=template.version, copyright_holder=template.copyright_holder,
                  creation_date=template.creation_date, revision_date=template.creation_date,
                  fuzzy=False)  # the English plural rule: nplurals=2; plural=(n != 1)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            string: str | tuple[str, ...] = tuple(pseudo(i) for i in message.id)
        else:
            string = pseudo(message.id)
        out.add(message.id, string, context=message.context, auto_comments=message.auto_comments)
    return out


def main(argv: list[str]) -> int:
    locale = Path(argv[0] if argv else "nsss_analysis/reference/locale")
    with open(locale / "nsss.pot", "rb") as f:
        template = read_po(f)
    target = locale / FOLDER / "LC_MESSAGES" / "nsss.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, pseudo_catalogue(template), width=0, omit_header=False, sort_output=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".nsss.po.")
    with os.fdopen(fd, "wb") as f:
        f.write(buffer.getvalue())
    os.replace(tmp, target)
    print(f"{target}: {sum(1 for m in template if m.id)} pseudo messages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
