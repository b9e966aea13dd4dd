"""State checks for what a declaration of effects cannot say by itself: per-message folders and read flags that
differ from row to row, labels matched by name (a label may be created during the task), and the text of replies
and escalation notes."""

from synth_verifiers.state import diff_table
from synth_verifiers.text import words


def says(text, phrase):
    """Whether `text` contains `phrase`, word for word (case, accents and punctuation aside)."""
    return " " + " ".join(words(phrase)) + " " in " " + " ".join(words(text)) + " "


def check_mail(outcome, params):
    """folders: [[message id, folder name]] where those messages must end; read: [[message id, 0 or 1]];
    labels: [[message id, label name]] exactly the labels newly put on messages; replies: [[thread id, text]]
    each new message of the thread must contain the text; notes: [[message id, phrase]] each new escalation of
    the message must mention the phrase. The declared effects say which rows may change at all."""
    reasons = []
    final = {
        m["id"]: m
        for m in outcome.rows(
            "SELECT m.id, m.thread_id, m.is_read, m.body, f.name AS folder FROM "
            "messages m JOIN folders f ON f.id = m.folder_id"
        )
    }
    for mid, folder in params.get("folders", []):
        if final[mid]["folder"] != folder:
            reasons.append(f"message {mid} is in {final[mid]['folder']}, expected {folder}")
    for mid, read in params.get("read", []):
        if final[mid]["is_read"] != read:
            reasons.append(f"message {mid} has read={final[mid]['is_read']}, expected {read}")
    if "labels" in params:
        names = {r["id"]: r["name"] for r in outcome.rows("SELECT id, name FROM labels")}
        added, _, _ = diff_table(outcome.initial, outcome.db, "message_labels")
        got = sorted([r["message_id"], names.get(r["label_id"])] for r in added)
        if got != sorted(params["labels"]):
            reasons.append(f"labels put on messages {got} differ from the expected {sorted(params['labels'])}")
    if params.get("replies"):
        added, _, _ = diff_table(outcome.initial, outcome.db, "messages")
        for thread, text in params["replies"]:
            for m in added:
                if m["thread_id"] == thread and not says(m["body"], text):
                    reasons.append(f"the reply in thread {thread} says {m['body']!r}, not {text!r}")
    if params.get("notes"):
        added, _, _ = diff_table(outcome.initial, outcome.db, "escalations")
        for mid, phrase in params["notes"]:
            for e in added:
                if e["message_id"] == mid and not says(e["note"], phrase):
                    reasons.append(f"the escalation of message {mid} notes {e['note']!r}, not {phrase!r}")
    return not reasons, reasons
