"""Reminders: telling a tenant what they owe, by email (emails) and by SMS (sms).

Why apart: they are the only parts of rent that talk to the outside world on their own (a timer
sends them), each logged once per kind and month so nothing goes out twice. They read the
balances of rent.ledger and send; they change no money.
"""
