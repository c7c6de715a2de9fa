"""The report runner: plans the reports, renders the notebooks in warm kernels with
papermill, writes the HTML, the index and the manifest, under a lock."""
