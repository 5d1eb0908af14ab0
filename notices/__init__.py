"""The outbox delivery process: letters rendered from a case's events, sent over SMTP, outcome recorded.

Not an activity: workflows never call it. The audit activity writes each notice to the outbox in
the same transaction as its events (``store.notices``); this process (``inspections notices
deliver``, wired by ``runtime.bootstrap``) claims due notices, renders them (``letters``,
``render``, ``templates/``) and sends them (``mail``). ``sink`` is the local stack's mail server.
It imports the store and the domain only.
"""
