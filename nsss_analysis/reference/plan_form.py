"""The action plan workbook's shape, shared by its writer (``report/action_plan.py``)
and its reader (``intake/action_plans.py``): the columns and their headers, the
statuses and the words people type for them, the hidden sheet that names a plan.

A ministry receives its plan, fills in the columns it owns and sends it back; the
reader finds the columns by their headers (in English or Bangla, in any order) and the
actions by their ids (:mod:`nsss_analysis.reference.action_ids`).
"""

from __future__ import annotations

from nsss_analysis.reference.i18n import N_, translator
from nsss_analysis.reference.text import bangla_digits_to_ascii
from nsss_analysis.reference.vocab import normalise_key

#: The action plan's columns: key -> the header a reader sees. The first is the id.
PLAN_COLUMNS: dict[str, str] = {
    "action_id": N_("Action id"),
    "programme": N_("Programme"),
    "item": N_("Item"),
    "answer": N_("The form says"),
    "action": N_("Action (the 2019 guideline's words)"),
    "possible": N_("Possible, says the ministry"),
    "lead_ministry": N_("Lead ministry"),
    "supporting_agencies": N_("Supporting agencies (from the form)"),
    "responsible_office": N_("Responsible office"),
    "target_date": N_("Target date"),
    "status": N_("Status"),
    "progress_note": N_("Progress note"),
    "feedback": N_("Feedback on this action"),
    "source": N_("Source (file, sheet, row)"),
}
#: The columns the ministry fills in (unlocked); every other column is locked.
TO_FILL: tuple[str, ...] = ("responsible_office", "target_date", "status", "progress_note", "feedback")
#: The columns locked against editing (sheet protection without a password): the id and
#: the action's text. The reader matches a returned row by its id and cross-checks it
#: with the row's programme and item.
LOCKED: tuple[str, ...] = ("action_id", "action")

#: A returned action's status, by code: the words the drop-down offers.
STATUSES: dict[str, str] = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
#: The status of an action no return mentions (never "not started": nobody said so).
NOT_REPORTED = "not_reported"
NOT_REPORTED_WORDS = N_("not reported")
#: Every status code with its words, for tables of progress.
STATUS_WORDS: dict[str, str] = {**STATUSES, NOT_REPORTED: NOT_REPORTED_WORDS}
#: Statuses after which an action cannot be overdue.
CLOSED: tuple[str, ...] = ("done", "dropped")
#: What people type for a status, besides the drop-down's words in each language.
STATUS_SPELLINGS: dict[str, tuple[str, ...]] = {
    "not_started": ("not started", "not yet started", "not yet", "pending", "to do", "todo", "no progress",
                    "শুরু হয়নি", "শুরু হয় নি", "এখনো শুরু হয়নি", "অপেক্ষমাণ"),
    "in_progress": ("in progress", "ongoing", "on going", "started", "in process", "underway", "under way",
                    "partly done", "চলমান", "চলছে", "প্রক্রিয়াধীন", "শুরু হয়েছে"),
    "done": ("done", "completed", "complete", "finished", "achieved", "implemented",
             "সম্পন্ন", "সম্পন্ন হয়েছে", "সম্পূর্ণ", "শেষ", "বাস্তবায়িত"),
    "dropped": ("dropped", "not possible", "cancelled", "canceled", "abandoned", "withdrawn", "not feasible",
                "বাদ", "বাদ দেওয়া হয়েছে", "বাতিল", "সম্ভব নয়"),
}

#: The hidden sheet naming the plan, and its rows (``key``, value).
PLAN_SHEET = "nsss_plan"
PLAN_KIND = "nsss-action-plan"
#: Keys of the hidden sheet, in order: what the plan is, whose, which round and build,
#: the workbook's form version; then one row per action: ``action``, id, programme, item.
PLAN_KEYS: tuple[str, ...] = ("kind", "ministry_code", "round", "build", "form_version")
#: The workbook's layout version: a reader knows which columns a returned plan may have.
FORM_VERSION = "2"


def status_code(text: object) -> str | None:
    """The status code of what a person typed (English or Bangla, any case), or None
    when it is blank; raise ``KeyError`` when it is no status word we know."""
    if text is None:
        return None
    key = normalise_key(bangla_digits_to_ascii(str(text)))
    if not key:
        return None
    return _status_table()[key]


def _status_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for language in ("en", "bn"):
        t = translator(language)
        for code, words in STATUSES.items():
            table.setdefault(normalise_key(t(words)), code)
    for code, spellings in STATUS_SPELLINGS.items():
        for s in spellings:
            table.setdefault(normalise_key(s), code)
    return table


def header_table() -> dict[str, str]:
    """Every header a returned plan may carry (English or Bangla, folded) -> its column key."""
    table: dict[str, str] = {}
    for language in ("en", "bn"):
        t = translator(language)
        for key, header in PLAN_COLUMNS.items():
            table.setdefault(normalise_key(t(header)), key)
    return table
