"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "bin_sku": [
        "Which SKU is stored in bin {{bin}}? Give the SKU code.",
        "Tell me the SKU code of the product sitting in bin {{bin}}.",
        "What product (SKU code) does bin {{bin}} hold?",
    ],
    "lot_expiry": [
        "When does the lot in bin {{bin}} expire? Answer with the date (YYYY-MM-DD).",
        "What is the expiry date of the stock in bin {{bin}}?",
    ],
    "pickable_units": [
        "How many units of {{sku}} ({{name}}) can be picked right now from pick faces, counting only lots the "
        "policy allows us to pick?",
        "Count the units of SKU {{sku}} on pick faces that are eligible for picking under the policy.",
    ],
    "expiring_bins": [
        "Which bins in aisle {{aisle}} hold stock expiring on or before {{date}}? List the bin codes.",
        "List every bin of aisle {{aisle}} whose lot has an expiry date no later than {{date}}.",
    ],
    "nearest_bin": [
        "Of all bins currently holding {{sku}} ({{name}}), which one is the shortest walk from the dock?",
        "Which bin with stock of SKU {{sku}} is closest to the dock by walking distance?",
    ],
    "open_units": [
        "How many units are still waiting to be picked across all open orders of {{customer}}?",
        "Add up the unpicked units over {{customer}}'s open orders. What is the total?",
    ],
    "pick_line": [
        "Pick the {{sku}} line of order {{order}} in full, following the picking policy.",
        "Order {{order}} needs its {{name}} ({{sku}}) line picked completely. Do it by the rules.",
    ],
    "refill_bin": [
        "Pick face {{bin}} is empty. Refill it from reserve with its slotted SKU, as full as the policy allows, "
        "using a single lot.",
        "Replenish the empty pick face {{bin}}: one move from reserve, filling it as much as the rules permit.",
    ],
    "cycle_count": [
        "A physical count of bin {{bin}} found {{counted}} units. Record the count and tell me: did the system "
        "show more units than we counted?",
        "We counted {{counted}} units in bin {{bin}}. Correct the stock record, and say whether the system had "
        "been overstating the stock there (yes or no).",
    ],
    "fulfil_order": [
        "Pick every line of order {{order}} following the picking policy, then ship the order.",
        "Please fulfil order {{order}} for {{customer}}: pick all its lines by the rules and mark it shipped.",
    ],
    "refill_aisle": [
        "Refill every empty pick face in aisle {{aisle}} from reserve, each with one move filling it as far as "
        "the policy allows. Leave pick faces whose SKU has no eligible reserve stock empty.",
        "Go through aisle {{aisle}}: for each pick face that is empty, replenish it from reserve (single lot, as "
        "full as the rules allow). Skip any whose SKU has nothing eligible in reserve.",
    ],
    "fulfil_with_replen": [
        "Fulfil order {{order}}: some of its SKUs are short on the pick faces. Before picking, refill the empty pick "
        "face of each SKU whose eligible pick-face stock cannot cover the order, in one move from reserve and as full "
        "as the policy allows (replenish nothing else); then pick every line by the policy and ship the order.",
        "Order {{order}} for {{customer}} must go out today. Where a SKU's pick faces cannot cover it, first top up "
        "that SKU's empty pick face from reserve (a single move, as full as the rules allow, and no other "
        "replenishment), then pick all lines following FEFO and the other rules, and ship the order.",
    ],
    "ship_due": [
        "Ship every open order of {{customer}} due by {{date}}. Before picking, refill the empty pick face of each "
        "SKU whose eligible pick-face stock cannot cover these orders together, in one move from reserve and as full "
        "as the policy allows (replenish nothing else); then pick all their lines by the policy and mark each order "
        "shipped.",
        "{{customer}} needs all their open orders with a ship-by date on or before {{date}} dispatched. First, for "
        "any SKU the pick faces cannot cover across those orders, top up its empty pick face from reserve (one move, "
        "as full as the rules allow; no other replenishment). Then pick the orders completely under the rules and "
        "ship them.",
    ],
}
