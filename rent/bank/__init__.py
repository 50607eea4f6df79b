"""The bank statement: read the account's export (readers), match each incoming transaction
to a person and month (matching), and record it through rent.ledger.payments (services).

readers and matching are framework-free (no database), so they are tested and benchmarked on
plain data."""
