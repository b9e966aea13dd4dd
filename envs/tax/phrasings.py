"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "withheld": [
        "How much tax has been withheld from {{taxpayer}}'s income in total?",
        "Add up the tax withheld across all of {{taxpayer}}'s income items.",
    ],
    "income_from": [
        "How much {{kind}} income did {{taxpayer}} receive from {{payer}}?",
        "What amount of {{kind}} income from {{payer}} is recorded for {{taxpayer}}?",
    ],
    "gross_income": [
        "What is {{taxpayer}}'s gross income?",
        "Total all of {{taxpayer}}'s income items: what is their gross income?",
    ],
    "itemized": [
        "What would {{taxpayer}}'s itemized deductions come to under the rules (receipts, caps and floors "
        "applied)? Round to the cent.",
        "Compute {{taxpayer}}'s allowable itemized deduction total, applying the receipt rule and every "
        "category limit (to the cent).",
    ],
    "bracket_tax": [
        "How much tax, before credits, does a {{status}} filer owe on a taxable income of {{taxable}}?",
        "Using the brackets, compute the tax on {{taxable}} of taxable income for filing status {{status}} "
        "(before any credit).",
    ],
    "file_best": [
        "File {{taxpayer}}'s return with the deduction method the policy requires, and tell me the balance "
        "due (negative if it is a refund).",
        "Please submit {{taxpayer}}'s tax return — standard or itemized, whichever the rules call for — and "
        "report the balance due as a signed amount: what they owe, or minus the refund they get back.",
    ],
    "clean_deductions": [
        "Remove {{taxpayer}}'s deduction items that have no receipt{% if category %} in the {{category}} "
        "category{% endif %}.",
        "Delete every receipt-less deduction item{% if category %} of category {{category}}{% endif %} from "
        "{{taxpayer}}'s file.",
    ],
    "late_forms": [
        "{{taxpayer}} brought in forgotten paperwork: {{kind}} income of {{amount}} from {{payer}} with "
        "{{withheld}} tax withheld, and a {{category}} expense of {{deduction}} with a receipt. Record both, "
        "file the return with the deduction method the policy requires, and tell me the balance due (negative "
        "if it is a refund).",
        "Add {{taxpayer}}'s missing {{kind}} income ({{payer}}, {{amount}}, withheld {{withheld}}) and their "
        "receipted {{category}} deduction of {{deduction}}, then file their return under the required "
        "deduction method and report what they owe (negative if a refund).",
    ],
    "best_status": [
        "Get {{taxpayer}} filed: delete their deduction items that lack a receipt, switch them to the filing "
        "status they qualify for that gives the lowest balance due, file with the deduction method the policy "
        "requires, and tell me the balance due (negative if it is a refund).",
        "For {{taxpayer}}: drop the receipt-less deduction items, pick among the filing statuses they are "
        "allowed the one that minimises what they owe, set it, file the return (standard or itemized as the "
        "rules require) and report the balance due (negative for a refund).",
    ],
    "conditional_pension": [
        "{{taxpayer}} has a late {{kind}} slip: {{amount}} from {{payer}}, {{withheld}} withheld — record it. "
        "If their balance due would then be above {{threshold}}, also record a receipted retirement "
        "contribution of {{pension}} before filing. File the return with the deduction method the policy "
        "requires and tell me the final balance due (negative if it is a refund).",
        "Record {{taxpayer}}'s missing {{kind}} income ({{payer}}, {{amount}}, tax withheld {{withheld}}). Should "
        "that leave them owing more than {{threshold}}, add a retirement contribution of {{pension}} (with "
        "receipt) as well. Then file under the required deduction method and report the balance due (negative "
        "for a refund).",
    ],
}
