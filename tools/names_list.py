"""Write the README's list of Bangla names still to be checked by a specialist, from the
reference data (``make names-list``); ``tests/test_bangla_names.py`` fails when the
README's list and the reference data differ."""

from __future__ import annotations

from nsss_analysis.config import PROJECT_ROOT
from nsss_analysis.io import write_text_atomic
from nsss_analysis.reference.names import readme_with_unverified_names


def main() -> None:
    readme = PROJECT_ROOT / "README.md"
    before = readme.read_text(encoding="utf-8")
    after = readme_with_unverified_names(before)
    if after != before:
        write_text_atomic(readme, after)
    print(f"{readme.name}: list of unverified names {'rewritten' if after != before else 'already current'}")


if __name__ == "__main__":
    main()
