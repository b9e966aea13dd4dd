"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "stock_units": [
        "How many packs of {{drug}} that are still in date does the {{store}} store have?",
        "What is the unexpired stock of {{drug}} at {{store}}, in packs?",
    ],
    "refills_left": [
        "How many fills are left on {{patient}}'s prescription for {{drug}}?",
        "{{patient}} has a prescription for {{drug}}. How many more times can it be filled?",
    ],
    "next_expiry": [
        "When does the earliest-expiring in-date batch of {{drug}} at {{store}} expire?",
        "At {{store}}, what is the expiry date of the first {{drug}} batch that will be dispensed next?",
    ],
    "expiring_soon": [
        "Which drugs at {{store}} have in-date stock that expires within the next {{days}} days (on or before "
        "{{until}})?",
        "List the drugs in {{store}} with a batch that is still good today but expires by {{until}}.",
    ],
    "interaction_conflict": [
        "Which of the drugs {{patient}} was given in the last 30 days has a major interaction with {{drug}}?",
        "Before we give {{patient}} any {{drug}}: which of their medicines from the past 30 days interacts "
        "majorly with it?",
    ],
    "low_stock": [
        "Which {{category}} drugs at {{store}} have unexpired stock below their reorder level?",
        "List the {{category}} drugs whose in-date stock at {{store}} has fallen under the reorder level.",
    ],
    "stock_value": [
        "What is the total value, at unit price, of the unexpired {{category}} stock at {{store}}? Give it to the cent.",
        "Add up packs times unit price over all in-date {{category}} drugs at {{store}} (to the cent).",
    ],
    "fill_prescription": [
        "Fill {{patient}}'s prescription for {{drug}} at the {{store}} store.",
        "{{patient}} is at {{store}} to collect their {{drug}} prescription. Dispense it.",
    ],
    "dispose_expired": [
        "Clear out every batch at {{store}} that expired on or before {{cutoff}}.",
        "Dispose of all batches at {{store}} whose expiry date is {{cutoff}} or earlier.",
    ],
    "reorder_low": [
        "Place reorders at {{store}} for every {{category}} drug the policy allows to be reordered there.",
        "Run the reorder round for the {{category}} drugs of {{store}}: order each one that is due a reorder, in "
        "the quantity our rules require.",
    ],
    "fill_all": [
        "{{patient}} is at {{store}}. Fill every one of their prescriptions that the rules allow and that the "
        "store's stock covers; skip the others.",
        "At {{store}}, dispense all of {{patient}}'s prescriptions that may be filled today under our policy "
        "and for which there is enough in-date stock there.",
    ],
    "otc_basket": [
        "{{patient}} wants to buy, in this order, at {{store}}: {{items}}. Sell each item the rules allow "
        "(in full or not at all) and skip the rest.",
        "Ring up {{patient}}'s over-the-counter basket at {{store}} item by item, in order: {{items}}. Any item "
        "the policy or the stock does not allow in full is left out.",
    ],
    "fill_with_transfer": [
        "{{patient}} is collecting at {{store}}. Fill every prescription of theirs that the rules allow; when "
        "{{store}} lacks enough in-date stock for a fill, first transfer the shortfall from the other store "
        "with the most transferable stock of it (skip the fill if no store can cover it). Afterwards, place the "
        "reorders the policy calls for at {{store}} for the drugs you dispensed.",
        "Dispense {{patient}}'s allowed prescriptions at {{store}}. Where stock there is short, move just the "
        "missing packs from the store holding the most transferable stock of that drug, if it can cover it. "
        "Then reorder, as our rules require, any of the dispensed drugs that {{store}} now needs to reorder.",
    ],
}
