"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "order_carrier": [
        "Which carrier is handling the shipment of order {{order_id}}?",
        "Order {{order_id}} was shipped. Which delivery company has it?",
        "Tell me the carrier for order {{order_id}}.",
    ],
    "product_stock": [
        "How many units of the {{product}} do we have in stock?",
        "What is the current stock level of {{product}}?",
    ],
    "credit_balance": [
        "What is {{customer}}'s store credit balance?",
        "How much store credit does the customer {{customer}} have right now?",
    ],
    "category_spend": [
        "How much has {{customer}} spent on {{category}} products? Add quantity times unit price of those items "
        "over their orders, leaving out cancelled orders and returned items, before coupon discounts. "
        "Round to the cent.",
        "Give me {{customer}}'s total {{category}} spend: the sum of quantity x unit price of every {{category}} "
        "item they ordered, not counting cancelled orders or items that were returned, and ignoring coupons "
        "(to the cent).",
    ],
    "most_returned": [
        "Which {% if category %}{{category}} {% endif %}product has had the most units returned? Just the name.",
        "Looking at all returns so far, which {% if category %}{{category}} {% endif %}product was returned in "
        "the largest number of units?",
        "Name the {% if category %}{{category}} {% endif %}product with the highest total quantity returned.",
    ],
    "late_orders": [
        "Which of {{customer}}'s orders were delivered after their promised delivery date? List the order ids.",
        "{{customer}} says some parcels came late. Give me the ids of their orders that arrived after the date "
        "we promised.",
    ],
    "return_eligible": [
        "{{customer}} wants to return everything from order {{order_id}} that can still be returned under our "
        "policy (reason: {{reason}}). Please process it.",
        "Process a return for {{customer}}: every item of order {{order_id}} that is still eligible for return, "
        'with the reason "{{reason}}".',
        "Order {{order_id}}: {{customer}} is sending back whatever the policy still allows them to return "
        "({{reason}}). Create the return.",
    ],
    "cancel_unshipped": [
        "{{customer}} asks us to cancel all of their orders that have not shipped yet.",
        "Please cancel every order of {{customer}}'s that is still waiting to be shipped.",
    ],
    "goodwill_credit": [
        "{{customer}} is unhappy about late deliveries. For each of their orders that was delivered after its "
        "promised date and has not had a goodwill credit yet, issue the largest goodwill store credit the "
        "policy allows.",
        "Compensate {{customer}} for late parcels: every order of theirs that arrived after the promised date "
        "and has no goodwill credit so far gets the maximum goodwill credit our policy permits.",
    ],
    "best_coupon": [
        "Apply to {{customer}}'s order {{order_id}} the coupon that gives it the biggest discount.",
        "{{customer}} wants the best possible coupon on order {{order_id}}. Find the one that saves the most "
        "and apply it.",
    ],
    "exchange": [
        "{{customer}} wants to exchange the {{product}} from order {{order_id}}: return it (reason: "
        "{{reason}}), then order one unit of the cheapest other product of the same category that is in stock, "
        "shipped to their address on file, and apply the coupon that saves the most on that new order, if any "
        "applies.",
        "Swap the {{product}} in {{customer}}'s order {{order_id}} for the lowest-priced in-stock alternative "
        "from the same category: process the return ({{reason}}), place a new order for one unit of the "
        "alternative to the customer's usual address, and put the most valuable applicable coupon on it.",
    ],
    "bundle": [
        "Place an order for {{customer}} with one unit of the cheapest in-stock product of each of these "
        "categories: {{categories}} (no final-sale products), shipped to {{address}}. Then apply the coupon that "
        "gives the order the largest discount, if any applies.",
        "{{customer}} wants a starter bundle: from each of {{categories}}, the lowest-priced item we have in "
        "stock that is not final sale, one unit each, delivered to {{address}}. Order it and add the best coupon "
        "available for it.",
    ],
    "relocate": [
        "{{customer}} has moved to {{address}}. Send every order of theirs that has not shipped yet to the new "
        "address, and give each of those orders that has no coupon yet the coupon that saves it the most "
        "(skip orders no coupon applies to).",
        "New address for {{customer}}: {{address}}. Update all of their unshipped orders to it; also, for each "
        "unshipped order without a coupon, apply the coupon with the biggest discount, where one applies.",
    ],
    "wrap_up": [
        "{{customer}} is closing their account. Cancel every order of theirs that has not shipped yet, return "
        "every item of their delivered orders that the policy still allows to be returned (reason: {{reason}}), "
        "and give each of their late-delivered orders that has had no goodwill credit the largest goodwill "
        "credit the policy allows.",
        "Wrap up {{customer}}'s account: all unshipped orders get cancelled; all still-returnable items across "
        'their delivered orders get returned with the reason "{{reason}}"; and every order of theirs that '
        "arrived after its promised date without a goodwill credit so far gets the maximum goodwill credit.",
    ],
    "budget_bundle": [
        "Order for {{customer}}, to their address on file: one unit of the cheapest in-stock product that is not "
        "final sale from each of {{categories}}, with the coupon that saves the most on the order, if any "
        "applies. The order total after the coupon must not exceed {{budget}}; if the full bundle would cost more "
        "than that, leave out the {{drop}} item (and apply the best coupon for what remains).",
        "{{customer}} wants a bundle shipped to the address on file: from each of {{categories}}, one unit of the "
        "lowest-priced in-stock non-final-sale product, plus the most valuable applicable coupon. Their limit is "
        "{{budget}} after the discount. Should the whole bundle go over it, drop the {{drop}} product and order "
        "the rest, again with the best coupon.",
    ],
}
