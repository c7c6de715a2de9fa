"""The fonts the browser sees: the system's, plus the ones the package ships.

Chromium asks fontconfig for its fonts. On a machine where fontconfig finds no font at
all (no fonts package, or a configuration that hides them), Chromium does not reliably
load even the fonts a page carries inline: measured with Chromium 156, one or more of a
Bangla page's four ``@font-face`` fonts ends with status ``error`` from run to run, its
text printing as ``\\x00``. Given any font directory, all four load.

So the browser the runner starts (and the tests' browser) reads a fontconfig file of
our own: it includes the configuration in force (``$FONTCONFIG_FILE`` when set, else
the system's ``/etc/fonts/fonts.conf``, ignored when missing) and adds the shipped Noto
Sans Bengali folder and matplotlib's DejaVu Sans folder. The system's fonts are
unchanged; only fonts are added. English pages, which carry no fonts, thereby also
print in DejaVu Sans on a machine with none.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

from nsss_analysis.report.fonts import FONT_DIR, latin_font_dir

#: fontconfig's own configuration when ``$FONTCONFIG_FILE`` names none.
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")
#: The generated file's name, inside a private temporary folder.
FONTCONFIG_NAME = "fonts.conf"


def shipped_font_dirs() -> tuple[Path, ...]:
    """The folders of the fonts that travel with the package: Noto Sans Bengali
    (``reference/fonts``) and matplotlib's DejaVu Sans."""
    return (FONT_DIR, latin_font_dir())


def current_fontconfig(environ: Mapping[str, str] | None = None) -> Path:
    """The fontconfig file in force: ``$FONTCONFIG_FILE`` (a relative name is looked up
    in ``$FONTCONFIG_PATH``, else ``/etc/fonts``), or the system's."""
    env = os.environ if environ is None else environ
    named = env.get("FONTCONFIG_FILE", "").strip()
    if not named:
        return SYSTEM_FONTCONFIG
    path = Path(named).expanduser()
    if path.is_absolute():
        return path
    folder = env.get("FONTCONFIG_PATH", "").split(os.pathsep)[0] or str(SYSTEM_FONTCONFIG.parent)
    return Path(folder) / path


def fontconfig_text(include: Path, font_dirs: tuple[Path, ...], cache: Path) -> str:
    """A fontconfig file: ``include`` (when present), then each of ``font_dirs``, with
    its cache in ``cache`` (fontconfig writes to the first folder it may)."""
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        f'  <include ignore_missing="yes">{escape(str(include))}</include>',
        *(f"  <dir>{escape(str(Path(d).resolve()))}</dir>" for d in font_dirs),
        f"  <cachedir>{escape(str(cache))}</cachedir>",
        "</fontconfig>",
        "",
    ]
    return "\n".join(lines)


@contextmanager
def browser_font_env(environ: Mapping[str, str] | None = None) -> Iterator[dict[str, str]]:
    """The environment to start Chromium with: ``environ`` (default: this process's)
    with ``FONTCONFIG_FILE`` naming a generated file that adds the shipped fonts to the
    configuration in force. The file lives in a private temporary folder, removed on exit."""
    env = dict(os.environ if environ is None else environ)
    include = current_fontconfig(env)
    with tempfile.TemporaryDirectory(prefix="nsss-fonts-") as folder:
        conf = Path(folder) / FONTCONFIG_NAME
        conf.write_text(fontconfig_text(include, shipped_font_dirs(), Path(folder) / "cache"), encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(conf)
        yield env
