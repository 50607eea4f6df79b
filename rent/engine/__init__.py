"""The rent engine: the household's rules as plain functions on plain values, reading nothing.

It owns the split of a month's costs (split), the effective config's rules (config), who lives
here and for how many days (occupancy), a month's breakdown and the Swedish rent message
(breakdown, message), months and due days (months), money's precision (money), a number as
plain text (numbers), a saved calculation as types (saved_calculation) and the stay and phone
rules (stays).

Why apart: every figure of the house comes from these rules, so they are kept exact, fast and
testable without a database. Nothing here imports a Django model or reads the database (an
import-linter contract in pyproject.toml holds it): what they are computed from is read by
rent.ledger.inputs, and what they answer is served by rent.read_model.
"""
