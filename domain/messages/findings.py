"""What a verification of the store can find wrong: key → (Swedish, English). Pure data, part of the catalogue.

The store names each finding by one of these keys with its parameters (``store.proof_scan.finding``);
the English words are the finding's ``reason`` in the API and the CLI's JSON, the Swedish ones what
the auditor's page and the CLI show. ``{column}`` is a column of the read model, told in Swedish by
``COLUMNS``; ``{stored}`` and ``{expected}`` are values as stored, shown as they are.
"""

from __future__ import annotations

_WHERE = (
    "; ändringen ligger i loggposterna {first}–{last} (ärenden: {cases})",
    "; the change lies in log entries {first} to {last} (cases {cases})",
)
"""Where a changed log lies: between the last signed checkpoint that holds and the first that does not."""

FINDINGS: dict[str, tuple[str, str]] = {
    # -- a case's chain --
    "chain.seq_gap": (
        "Löpnummer {seq} där löpnummer {expected} väntades: händelser saknas eller står i fel ordning.",
        "seq {seq} where seq {expected} was expected: events are missing or out of order",
    ),
    "chain.first_link": (
        "Den första händelsens länk bakåt är inte 64 nollor: kedjan har klippts eller en tidigare händelse bytts ut.",
        "prev_hash is not 64 zeros (first event): the chain was cut or an earlier event replaced",
    ),
    "chain.link": (
        "Händelsens länk bakåt är inte kontrollsumman för löpnummer {last}: kedjan har klippts eller en tidigare "
        "händelse bytts ut.",
        "prev_hash is not the hash of seq {last}: the chain was cut or an earlier event replaced",
    ),
    "chain.hash": (
        "Kontrollsumman stämmer inte med händelsens sparade uppgifter: händelsen har ändrats efter att den "
        "registrerades.",
        "hash does not match the event's stored fields: the event was changed after it was recorded",
    ),
    # -- the log of all events --
    "log.leaf": (
        "Händelsen stämmer inte med sin post i loggen (plats {index}): den har skrivits om efter att den loggades.",
        "the event does not match its log leaf (log index {index}): it was rewritten after it was logged",
    ),
    "log.leaves": (
        "{count} händelser från löpnummer {seq} och framåt stämmer inte med sina poster i loggen: ärendets kedja "
        "har skrivits om efter att den loggades.",
        "{count} events from seq {seq} on do not match their log leaves: the case's chain was rewritten after it "
        "was logged",
    ),
    "log.recorded_early": (
        "Registrerad {at}, före händelsen närmast före ({prior_at}).",
        "recorded at {at}, before the event before it ({prior_at})",
    ),
    "log.out_of_order": (
        "Loggad i fel ordning inom sitt ärende: loggen har kastats om.",
        "logged out of its case's order: the log was rearranged",
    ),
    "log.not_queued": (
        "Händelsen finns inte i loggen och väntar inte heller på att föras in: den lades in med loggens "
        "utlösare avstängd.",
        "not in the log and not queued for it: inserted with the log's trigger off",
    ),
    "log.case_truncated": (
        "Loggen har löpnummer {seq} (plats {index}) men ärendets händelser slutar vid löpnummer {last}: ärendet "
        "har kortats och dess sista händelser raderats.",
        "the log has seq {seq} (log index {index}) but the case's events end at seq {last}: the case was "
        "truncated, its last event(s) deleted",
    ),
    "log.event_deleted": (
        "Löpnummer {seq} finns i loggen (plats {index}) men händelsen saknas: den har raderats.",
        "seq {seq} is in the log (log index {index}) but its event is gone: the event was deleted",
    ),
    "log.cut_one": ("Loggens plats {index} saknas: loggen har klippts.", "log index {index} missing: the log was cut"),
    "log.cut": (
        "Loggens platser {first}–{last} saknas: loggen har klippts.",
        "log indexes {first} to {last} missing: the log was cut",
    ),
    "log.backdated": (
        "Registrerad {at}, före kontrollpunkten för {size} händelser (vars sista händelse registrerades "
        "{prior_at}), men inte med i den: insmugen bakom kontrollpunkten.",
        "recorded at {at}, before the checkpoint of {size} events (its last event recorded at {prior_at}), yet "
        "not in it: inserted behind the checkpoint",
    ),
    "log.truncated": (
        "Loggen har {count} händelser, färre än kontrollpunktens {size}: loggen har kortats" + _WHERE[0] + ".",
        "the log has {count} events, fewer than the checkpoint's {size}: the log was truncated" + _WHERE[1],
    ),
    "log.inconsistent": (
        "Loggen är inte en fortsättning av kontrollpunkten för {size} händelser" + _WHERE[0] + ".",
        "the log is not a consistent extension of the checkpoint of {size} events" + _WHERE[1],
    ),
    "log.changed": (
        "Loggen är inte en fortsättning av {count} sparade signerade kontrollpunkter, den första för {size} "
        "händelser: loggen har ändrats" + _WHERE[0] + ".",
        "the log does not extend {count} stored signed checkpoint(s), the first of {size} events: the log was "
        "changed" + _WHERE[1],
    ),
    # -- signed checkpoints --
    "checkpoint.unusable": (
        "Kontrollpunkten som angavs går inte att använda: den är inte signerad med loggens nyckel eller är skadad.",
        "the checkpoint given cannot be used",
    ),
    "checkpoint.forged": (
        "En sparad kontrollpunkt för {size} händelser är inte signerad med loggens nyckel.",
        "stored checkpoint of {size} events is not signed by the log",
    ),
    # -- the read model (the list of cases) against the events --
    "read_model.not_applicable": (
        "Händelsen går inte att tillämpa på ärendet som händelserna före den beskriver.",
        "the event does not apply",
    ),
    "read_model.orphan": (
        "En rad i ärendeförteckningen har inga händelser bakom sig.",
        "a read-model row with no events behind it",
    ),
    "read_model.no_row": (
        "Ärendet har händelser men ingen rad i ärendeförteckningen.",
        "the case has events but no row in the read model",
    ),
    "read_model.area_missing": (
        "Området ”{value}” saknas i ärendeförteckningen.",
        "area {value} is missing from the read model",
    ),
    "read_model.area_extra": (
        "Området ”{value}” finns i ärendeförteckningen men inte i händelserna.",
        "area {value} is in the read model but not in the events",
    ),
    "read_model.snapshot": (
        "Ärendets sparade sammanställning stämmer inte med händelserna.",
        "the stored snapshot (cases.snapshot) is not the fold of the events",
    ),
    "read_model.differs": (
        "”{column}” är {stored} i ärendeförteckningen men {expected} enligt händelserna.",
        "{column} is {stored} in the read model but {expected} from the events",
    ),
    "read_model.area_differs": (
        "Området ”{value}”: ”{column}” är {stored} i ärendeförteckningen men {expected} enligt händelserna.",
        "case_areas.{column} of area {value} is {stored} in the read model but {expected} from the events",
    ),
    # -- the register (diarium) against the events --
    "register.entries_orphan": (
        "Diarieposterna {value} har inga händelser bakom sig.",
        "register entries {value} have no events behind them",
    ),
    "register.entry_missing": (
        "Diariepost {number} ({value}) saknas i diariet.",
        "register entry {number} ({value}) is missing",
    ),
    "register.entry_extra": (
        "Diariepost {number} ({value}) finns i diariet men inte i händelserna.",
        "register entry {number} ({value}) is in the register but not in the events",
    ),
    "register.entry_differs": (
        "Diariepost {number}: ”{column}” är {stored} i diariet men {expected} enligt händelserna.",
        "register entry {number}: {column} is {stored} in the register but {expected} from the events",
    ),
}
"""Finding key → (Swedish, English)."""

COLUMNS: dict[str, str] = {
    "dnr": "Dnr",
    "dnr_key": "Dnr för sökning",
    "organiser_id": "Huvudman",
    "title": "Rubrik",
    "state": "Status",
    "round": "Redovisningsomgång",
    "response_due": "Redovisning senast",
    "overdue": "Försenad",
    "opened_on": "Öppnat",
    "last_seq": "Senaste löpnummer",
    "updated_at": "Senast ändrat",
    "responsible": "Handläggare",
    "position": "Plats",
    "legal_basis": "Författningsstöd",
    "status": "Status",
    "seq": "Löpnummer",
    "registered_on": "Registrerad",
    "recorded_at": "Registrerad i systemet",
    "direction": "Riktning",
    "kind": "Handlingstyp",
    "counterpart": "Avsändare eller mottagare",
    "description": "Beskrivning",
    "document_sha256": "Fil",
    "registered_by": "Registrerad av",
    "secrecy_lagrum": "Sekretess, lagrum",
    "secrecy_marked_on": "Sekretessmarkerad",
    "secrecy_seq": "Sekretessmarkeringens löpnummer",
    "disposed_on": "Gallrad",
    "disposal_rule": "Gallringsregel",
    "disposal_seq": "Gallringens löpnummer",
}
"""Swedish names of the read model's columns (``cases``, ``case_areas``, ``register_entries``) a finding can name."""
