"""The household's readable backup: every app's rows in files a person can read, and back.

It stands above every app (rent, the handbook, the API's tokens, the household's logins), so it
is an app of its own at the top of the import graph rather than a module of `household`, which
every app imports: `export_household` and `import_household` (backup/household.py).
"""
