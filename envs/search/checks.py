"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import diff_table


def check_citations(outcome, params):
    """The new citations support every required fact (facts: groups of fact keys, each group one step of the
    answer, supported when a cited document states one of its facts), and each cited document supports at least
    one required fact. Which document supports a step is the agent's choice (a profile or a news article)."""
    support = {}
    for row in outcome.initial_rows("SELECT doc_id, fact FROM doc_facts"):
        support.setdefault(row["doc_id"], set()).add(row["fact"])
    added, _, _ = diff_table(outcome.initial, outcome.db, "citations")
    cited = [c["doc_id"] for c in added]
    needed = {f for group in params["facts"] for f in group}
    reasons = [
        f"no citation supports {group}"
        for group in params["facts"]
        if not any(set(group) & support.get(d, set()) for d in cited)
    ]
    reasons += [
        f"cited document {d} supports none of the required facts" for d in cited if not support.get(d, set()) & needed
    ]
    return not reasons, reasons
