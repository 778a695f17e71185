"""Where each sealed field lives (its associated data): a value moved to another row or
column no longer opens."""

from voice.vault import Place


def turn_place(row_id: int, column: str) -> Place:
    return Place("turns", str(row_id), column)


def event_place(row_id: int) -> Place:
    return Place("safety_events", str(row_id), "detail")


def checkin_place(row_id: int, column: str) -> Place:
    return Place("checkins", str(row_id), column)


def document_place(person_id: int, kind: str) -> Place:
    return Place("person_documents", f"{person_id}:{kind}", "sealed")
