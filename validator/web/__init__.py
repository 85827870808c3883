"""`formcheck serve`: the web page for self-check and review, and its API (an optional extra:
`pip install ".[web]"`). The request path is app.py (routes, limits, headers) → uploads.py (what
the client sent, into a temporary folder under names of our own) → jobs.py (the check, in a
process of its own with a time limit) → the same reporters as the command line."""
