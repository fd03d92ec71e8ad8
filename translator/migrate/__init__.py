"""svconv migrate: discover a host tree's services, plan each one's move, render OUT.

Imports: model, diagnostics, migrate.
"""
