"""Intake: the ministries' workbooks and tables in, the processed tables out.

``files`` finds and opens raw files, ``forms`` finds headers and records, ``cells``
and ``quantities`` parse one cell each, ``clean`` builds the tables and the
quarantine, ``schemas`` says what the tables promise, ``template`` writes the blank form."""
