"""One error base for the rules and the services: a code and the parameters its message needs.

`RentError(code, **params)`: the code is stable (tests, the API's `code` field), the message
is looked up by code in `MESSAGES`, one English msgid per code with its Swedish in the .po.
`str(error)` is the English sentence (files, commands, logs); `error.message` is the same
sentence in the active language, which is what pages and the API show. Nobody translates an
error by reading its English text.

The behaviour (lookup, translation at read time, pickling) is the household's shared base,
household.errors.CodedError; this module holds rent's codes. Framework-free, so the engine
(rent.engine: split, occupancy, message) can raise it without loading Django; only reading
`message` asks Django's translations.
"""

from __future__ import annotations

from household.errors import CodedError, gettext_noop

__all__ = ["MESSAGES", "RentError", "gettext_noop"]


MESSAGES: dict[str, str] = {
    # The engine: rent.engine.split, rent.engine.occupancy, rent.engine.message.
    "no_roommates": gettext_noop("No roommates provided"),
    "history_not_an_object": gettext_noop("A history file must be a JSON object"),
    "constants_not_an_object": gettext_noop("constants must be an object"),
    "roommates_not_an_object": gettext_noop("roommates must be an object"),
    "config_not_a_mapping": gettext_noop("config must be a mapping of cost keys to numbers"),
    "cost_negative": gettext_noop("%(key)s must be a positive number"),
    "cost_not_a_number": gettext_noop("%(key)s must be a number"),
    "not_a_whole_number": gettext_noop("%(key)s must be a whole number"),
    "invalid_config_month": gettext_noop("Invalid config month: %(year)s-%(month)s"),
    "invalid_roommate": gettext_noop(
        "Invalid roommate %(name)s: expected days and room_adjustment"
    ),
    "days_out_of_range": gettext_noop("Invalid days for %(name)s: must be between 1 and %(days)s"),
    "adjustment_not_a_number": gettext_noop(
        "Invalid room_adjustment for %(name)s: must be a number"
    ),
    "not_living_here": gettext_noop("Not living here in %(month)s: %(names)s"),
    "not_a_month": gettext_noop("not a month: %(month)s"),
    # Saving a month (rent.ledger.finalize).
    "electricity_projected": gettext_noop(
        "The electricity for %(month)s has not been entered (%(source)s: %(amount)s kr). "
        "Enter the electricity bill, or confirm that the estimate is to be used."
    ),
    "negative_rent": gettext_noop("Negative rent for %(names)s: check the room adjustments."),
    "paid_amounts_change": gettext_noop(
        "The new version changes the rent of people who have already paid: %(names)s."
    ),
    # Money (rent.ledger.balances, rent.ledger.payments, rent.ledger.claims, rent.bank.services).
    "amount_not_positive": gettext_noop("The amount must be more than 0 kr."),
    "not_enough_credit": gettext_noop("%(name)s has only %(credit)s in credit."),
    "payment_zero": gettext_noop("A payment cannot be 0 kr."),
    "paid_in_future": gettext_noop("The day paid cannot be in the future."),
    "paid_on_not_a_date": gettext_noop("The day paid must be a date like 2025-09-25."),
    "claim_decided": gettext_noop("This has already been decided."),
    "bank_line_recorded": gettext_noop("That transaction is already recorded."),
    "bank_line_outgoing": gettext_noop("An outgoing payment is not a rent payment."),
    # Bank statements (rent.bank.readers): a file that cannot be read as one, and where.
    "statement_too_large": gettext_noop("The file is %(size)s MB; at most %(limit)s MB is read."),
    "statement_empty": gettext_noop("The file is empty."),
    "statement_no_column_names": gettext_noop(
        "Row %(row)d: the first row must name the columns (e.g. Datum;Belopp;Text)."
    ),
    "statement_no_transactions": gettext_noop("The file has column names but no transactions."),
    "statement_too_many_rows": gettext_noop(
        "Row %(row)d: a statement has at most %(limit)d rows; split the file."
    ),
    "statement_nul_character": gettext_noop(
        "Row %(row)d: contains a NUL character; this is not a text statement."
    ),
    "statement_cell_too_long": gettext_noop(
        "Row %(row)d: a cell of %(length)d characters; at most %(limit)d are read."
    ),
    "statement_not_csv": gettext_noop("Row %(row)d: not readable as CSV (%(reason)s)."),
    "statement_unreadable": gettext_noop("The file is not a CSV or XLSX file that can be read."),
    "statement_row_unreadable": gettext_noop(
        "Row %(row)d: the file is not a CSV or XLSX file that can be read."
    ),
    "statement_unpacks_too_large": gettext_noop(
        "The XLSX file unpacks to %(size)s MB; at most %(limit)s MB is read."
    ),
    "statement_not_a_date": gettext_noop(
        'Row %(row)d, column %(column)s: "%(value)s" is not a date (e.g. 2025-08-25).'
    ),
    "statement_not_an_amount": gettext_noop(
        'Row %(row)d, column %(column)s: "%(value)s" is not an amount (e.g. -1 234,50).'
    ),
    # Money typed in a form or a file (rent.formatting).
    "not_an_amount": gettext_noop("Not an amount: %(value)s"),
    "money_unreadable": gettext_noop(
        "%(field)s: write an amount in kronor, e.g. 3312, 3 312,50 or 3312.50."
    ),
    "money_decimals": gettext_noop("%(field)s: at most two decimals (öre), e.g. 3 312,50."),
    "money_too_large": gettext_noop("%(field)s: too large; at most %(limit)s."),
    # Files: import, export, backups (rent.importing, rent.importing.exporting, rent.*_backup,
    # rent.admin.import_limits).
    "import_failed": gettext_noop("%(count)s errors"),
    "export_folder_not_empty": gettext_noop(
        "%(folder)s holds other files (%(files)s); export into an empty or new folder"
    ),
    "history_no_natural_key": gettext_noop("no natural key for %(model)s: add it to NATURAL_KEYS"),
    "history_key_not_restored": gettext_noop(
        "the history names a %(model)s %(key)s that is not restored"
    ),
    "restore_not_empty": gettext_noop(
        "the database is not empty (it has logins, handbook pages, tenants or API tokens); "
        "restore into a freshly migrated database"
    ),
    "forged_import_file_name": gettext_noop("Not one of this folder's uploads: %(name)s"),
    # A person's details (rent.engine.stays) and who a name is (rent.ledger.tenant_changes).
    "phone_unparsable": gettext_noop("not a phone number: %(text)r"),
    "phone_invalid": gettext_noop("not a valid phone number: %(text)r"),
    "personnummer_form": gettext_noop("not a personnummer (ÅÅÅÅMMDD-XXXX): %(text)r"),
    "personnummer_check_digit": gettext_noop("the check digit of %(text)r is wrong"),
    "personnummer_birth_date": gettext_noop("%(text)r has no valid date of birth"),
    "tenant_not_found": gettext_noop("Tenant not found: %(name)s"),
    # SMS reminders (rent.reminders.sms): the provider and SMS_URL.
    "sms_refused": gettext_noop("46elks answered %(status)s for %(to)s: %(detail)s"),
    "sms_unreachable": gettext_noop("46elks could not be reached: %(reason)s"),
    "sms_not_json": gettext_noop("46elks answered with something other than JSON: %(body)s"),
    "sms_url_credentials": gettext_noop(
        "SMS_URL must be 46elks://API_USERNAME:API_PASSWORD@api.46elks.com"
    ),
    "sms_url_unknown": gettext_noop("SMS_URL: unknown kind %(kind)r (console:// or 46elks://...)"),
    # A request the API itself refuses (api.api.BadInput): scripts read the English sentence,
    # every caller the code.
    "api_invalid_month": gettext_noop("Invalid month: %(year)s-%(month)s"),
    "api_what_if_saves": gettext_noop(
        "POST /api/rent only calculates; saving a month is POST /api/rent/month (treasurer)"
    ),
    "api_unknown_config_key": gettext_noop("Unknown config key: %(key)s"),
    "api_not_a_number": gettext_noop("%(field)s must be a number"),
    "api_not_a_whole_number": gettext_noop("%(field)s must be a whole number, got %(value)s"),
    "api_value_refused": gettext_noop("%(field)s: %(reason)s"),
    "api_refused": gettext_noop("%(reasons)s"),
    "api_field_required": gettext_noop("%(field)s is required for this action"),
    "api_not_a_date": gettext_noop("%(field)s: not a date (YYYY-MM-DD): %(value)s"),
    "api_set_temporary": gettext_noop(
        "set_temporary: a month's own days are given when saving it: "
        'POST /api/rent/month with "roommates": {name: {"days": ...}}'
    ),
    "api_invalid_action": gettext_noop(
        "Invalid action: %(action)s (add_permanent, set_departure, update_adjustment)"
    ),
}


class RentError(CodedError):
    """A refusal by the rules or a service, named by `code` (a key of `MESSAGES`)."""

    MESSAGES = MESSAGES
