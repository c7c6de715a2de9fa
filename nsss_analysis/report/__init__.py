"""What a report shows: figures, sentences (narrative only chooses words), escaped
HTML display helpers and sections for the notebooks."""
