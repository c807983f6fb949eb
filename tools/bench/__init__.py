"""`python manage.py bench`: a synthetic organisation in a separate PostgreSQL database, and the
performance figures of issue 3 measured side by side with their plain-SQL anchors (docs/benchmarks.md).
"""
