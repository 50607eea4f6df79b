"""The ledger: what the household owes and paid, as stored, and the services that change it.

It owns the month's inputs as read from the database (inputs), saving a month's split
(finalize) and saving it on its own (autosave), the month's costs (month_costs) and the saved
month compared with today's (month_rent), payments and their allocation to months (payments,
allocation), balances and statements (balances), payment claims (claims), payment references
(reference) and changes to tenants (tenant_changes).

Why apart: every write to the household's money goes through one service here, with its
keyword-only arguments, its locks and its data version; the pages, the admin, the API and the
commands call these services and never write rows themselves. Its rules are the engine's.
"""
