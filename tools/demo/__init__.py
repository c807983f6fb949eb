"""The demo organisation `make demo` shows (manage.py seed_demo)."""
