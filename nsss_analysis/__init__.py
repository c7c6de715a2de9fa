"""NSSS gender diagnostics workbench.

The data's journey, one module per stage:

- ``forms``: find and read the workbooks and CSV files ministries send (``data/raw``);
- ``parse``: turn one messy cell into a clean value (answers, fiscal years, amounts...);
- ``clean``: turn read rows into the processed tables plus the quarantine;
- ``schemas``: pandera schemas the processed tables must satisfy;
- ``scoring``: programme scores, GRAS levels and gender markers;
- ``indicators``, ``models``, ``recommendations``: ministry, cluster and national diagnostics;
- ``beneficiaries``: coverage by sex from MIS extracts;
- ``reports``: papermill + nbconvert runner for the HTML reports;
- ``vocab``: the reference data (ministry register, vocabularies), loaded by one function.
"""

__version__ = "0.1.0"
