"""Reference data: the register of ministries and divisions, the form's columns and
vocabularies, districts, and the one ministry resolver. The data files live beside
this module and are loaded once by :func:`nsss_analysis.reference.vocab.load_reference`."""
