"""Tooling beside the product: the benchmark (`manage.py bench`) and the demo organisation
(`manage.py seed_demo`), both built on one generator of synthetic activity (tools/synthetic.py).
Nothing in the product app `kpi` imports from here."""
