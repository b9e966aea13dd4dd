"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "invoice_amount": [
        "What is the amount of invoice {{number}}?",
        "How much is invoice {{number}} for?",
    ],
    "line_budget": [
        "What is the {{department}} department's {{category}} budget for the year?",
        "How large is the annual {{category}} budget of {{department}}?",
    ],
    "quarter_spend": [
        "How much did {{department}} spend on {{category}} in {{quarter}}? Round to the cent.",
        "Sum {{department}}'s monthly {{category}} actuals for {{quarter}}, to the cent.",
    ],
    "top_overrun": [
        "Which department has overspent its {{category}} budget to date by the largest amount?",
        "Looking at {{category}}, which department's spend to date exceeds its budget the most?",
    ],
    "available": [
        "Across all of {{department}}'s budget lines{% if over %} that are not over budget{% endif %}, how much "
        "budget is still available in total?",
        "Add up the available budget of every {% if over %}non-overspent {% endif %}budget line of {{department}}.",
    ],
    "vendor_overdue": [
        "What is the total of {{vendor}}'s unpaid, undisputed invoices that are past due?",
        "Add up the overdue open invoices from {{vendor}} (unpaid, not disputed, due date before today).",
    ],
    "pay_due": [
        "Pay {{department}}'s unpaid, undisputed invoices due on or before {{date}}, earliest due date first "
        "(then lowest invoice number), skipping any whose payment the policy does not allow.",
        "Settle the open {{department}} invoices that fall due by {{date}} in order of due date (ties by invoice "
        "number); leave out any that the budget rules would block, and pay the rest.",
    ],
    "reallocate": [
        "Move {{amount}} of {{category}} budget from {{source}} to {{target}}. If the policy doesn't allow that "
        "much, move the largest amount it does allow.",
        "Reallocate {{amount}} of the {{category}} budget of {{source}} to {{target}} — or, should the rules "
        "limit it, as much as they permit.",
    ],
    "vendor_cleanup": [
        "Vendor {{vendor}}: dispute each of their unpaid invoices above {{threshold}}, and pay the other unpaid, "
        "undisputed ones, earliest due date first, where the policy allows.",
        "Clean up {{vendor}}'s open invoices: those over {{threshold}} get disputed; the remaining unpaid "
        "undisputed ones are paid in due-date order when the budget rules allow it.",
    ],
    "cover_overruns": [
        "For every department whose {{category}} spend to date exceeds its budget, move budget from {{donor}} "
        "to cover the overrun exactly, in order of department name; when the policy does not allow the full "
        "amount, move the largest amount it allows.",
        "Use {{donor}}'s {{category}} budget to cover the {{category}} overruns of the other departments "
        "(alphabetically), each one exactly or as far as the reallocation rules allow.",
    ],
    "close_department": [
        "Month-end for {{department}}: first pay its unpaid, undisputed invoices due on or before {{date}}, "
        "earliest due first (ties by invoice number), skipping any the policy blocks. Then, for each of its "
        "budget lines whose spend to date is now over budget, move budget from {{donor}} to cover the overrun "
        "exactly, or as far as the policy allows. Tell me the total you paid.",
        "Close the month for {{department}}: settle its open invoices due by {{date}} in due-date order where "
        "the budget rules allow; afterwards cover every over-budget line of {{department}} with budget from "
        "{{donor}} (same category, exactly the overrun or the most the rules allow). Report the total paid.",
    ],
}
