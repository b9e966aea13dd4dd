"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "balance": [
        "What is the current balance of {{customer}}'s account {{number}}?",
        "How much money is in {{customer}}'s account {{number}} right now?",
        "Look up account {{number}} (held by {{customer}}) and tell me its balance.",
    ],
    "order_amount": [
        "How much is {{customer}}'s active standing order to {{payee}}?",
        "{{customer}} pays {{payee}} by standing order. What amount does it send each month?",
    ],
    "category_spend": [
        "How much did {{customer}} spend by card on {{category}} in {{month}}, across all their accounts? "
        "Round to 2 decimals.",
        "Total {{customer}}'s {{category}} card spending during {{month}} over every account they hold (2 decimals).",
    ],
    "top_merchant": [
        "At which {{category}} merchant has {{customer}} spent the most by card in total over their whole "
        "transaction history?",
        "Looking at all of {{customer}}'s card payments, which {{category}} merchant received the largest total?",
    ],
    "commitments": [
        "What do {{customer}}'s active standing orders{% if category %} to {{category}} payees{% endif %} add up "
        "to per month?",
        "Sum the monthly amounts of all active standing orders{% if category %} for {{category}}{% endif %} "
        "that {{customer}} has.",
    ],
    "capped_transfer": [
        "Move {{amount}} from {{customer}}'s account {{source}} to their account {{target}}. If the bank's rules "
        "don't allow the full amount today, move the largest amount they do allow instead.",
        "{{customer}} wants {{amount}} transferred from {{source}} to {{target}}; should the limits or the "
        "balance not permit that much today, transfer as much as is permitted.",
    ],
    "cancel_category": [
        "Cancel all of {{customer}}'s active standing orders to {{category}} payees{% if threshold %} whose amount "
        "is above {{threshold}}{% endif %}.",
        "{{customer}} wants to stop every active {{category}} standing order{% if threshold %} of more than "
        "{{threshold}}{% endif %}. Please cancel them.",
    ],
    "pay_bill": [
        "Pay {{amount}} to {{customer}}'s payee {{payee}} from their account {{first}}. If that account can't "
        "make the payment under the bank's rules, pay from their account {{second}} instead.",
        "{{customer}} owes {{payee}} {{amount}}. Send it from {{first}}, or, if the rules don't allow that, "
        "from {{second}}.",
    ],
    "new_landlord": [
        "{{customer}} has moved. Cancel their active standing orders to {{old}}, register their new landlord "
        "{{new}} (reference {{reference}}, category rent), set up a monthly standing order of {{rent}} to "
        "{{new}} on day {{day}} from account {{checking}}, and pay the first month's rent of {{rent}} right away "
        "from {{checking}}. If {{checking}} can't cover that payment under the bank's rules, first move exactly "
        "the shortfall there from their account {{savings}}.",
        "New home for {{customer}}: stop the standing orders to {{old}}; add {{new}} as a rent payee with "
        "reference {{reference}}; create a standing order of {{rent}} on day {{day}} of each month from "
        "{{checking}} to {{new}}; and pay {{rent}} to {{new}} now from {{checking}}, topping {{checking}} up "
        "from {{savings}} by just the missing amount beforehand if the rules would otherwise block the payment.",
    ],
    "pay_bills": [
        "Pay these bills for {{customer}}, in this order: {{bills}}. Pay each from account {{checking}} if it "
        "can make the payment under the bank's rules, otherwise from {{savings}}; if neither can, skip it. Tell "
        "me which bills were skipped.",
        "{{customer}} has bills to settle, in order: {{bills}}. Use {{checking}} for each one when the rules "
        "allow it, fall back to {{savings}} when they don't, and leave a bill unpaid if neither account can pay "
        "it. Report any bill you had to skip.",
    ],
    "month_end": [
        "Month-end for {{customer}}: first cancel every active standing order of theirs to {{category}} payees. "
        "Then pay these bills in order: {{bills}} — each from {{checking}} if the bank's rules allow, otherwise "
        "from {{savings}}, skipping any that neither account can pay. Finally, move whatever {{checking}} holds "
        "above {{keep}} into {{savings}}, as far as the rules allow. Tell me which bills were skipped.",
        "Please do {{customer}}'s month-end: (1) stop all their active {{category}} standing orders; (2) settle "
        "{{bills}} in that order, from {{checking}} where the rules permit and from {{savings}} otherwise, "
        "skipping a bill neither can pay; (3) sweep the balance of {{checking}} above {{keep}} into {{savings}} "
        "(as much as the rules allow). Which bills, if any, were skipped?",
    ],
    "budget_cut": [
        "{{customer}} wants their active standing orders to total at most {{cap}} a month. Cancel them largest "
        "amount first, never touching rent, until the total is at most {{cap}}. Then move the monthly amount "
        "you freed up from {{checking}} to {{savings}} now, or as much of it as the rules allow today.",
        "Bring {{customer}}'s monthly standing-order total down to {{cap}} or less by cancelling the biggest "
        "non-rent standing orders one after another, and transfer the total of the cancelled amounts from "
        "{{checking}} to {{savings}} today (the largest allowed amount if the rules block the full sum).",
    ],
}
