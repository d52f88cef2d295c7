"""Scheduling transfers: the worker pool, jobs, progress and resume.

The transfer issue fills this package; for now the storage backends'
`upload_file`/`download_file` carry chunking, progress and cancellation.
Never imports Textual.
"""
