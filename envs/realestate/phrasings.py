"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "listing_price": [
        "What is the asking price of {{address}}?",
        "How much is {{address}} listed for?",
    ],
    "listing_agent": [
        "Which agent handles the listing at {{address}}?",
        "Who is the listing agent for {{address}}?",
    ],
    "cheapest_match": [
        "What is the cheapest active {{kind}} in {{area}} with at least {{bedrooms}} bedrooms and a {{feature}}? "
        "Give the address.",
        "Find the lowest-priced {{kind}} for sale in {{area}} that has {{bedrooms}}+ bedrooms and a {{feature}}.",
    ],
    "price_per_sqm": [
        "What is the average asking price per square metre of active {{kind}} listings in {{area}}? Average the "
        "per-listing figures and round to 2 decimals.",
        "Across the {{kind}} listings currently for sale in {{area}}, what is the mean of price divided by area "
        "(2 decimals)?",
    ],
    "affordable_count": [
        "How many active listings in {{city}} could {{buyer}} afford at the full asking price under our mortgage "
        "rules?",
        "Count the {{city}} listings for sale that {{buyer}} can finance at asking price, given the deposit and "
        "loan rules.",
    ],
    "agent_sales": [
        "What is the combined asking price of all the listings {{agent}} has sold?",
        "Add up the asking prices of every sold listing handled by {{agent}}.",
    ],
    "book_viewing": [
        "Book {{buyer}} a viewing of {{address}} on {{date}} at the earliest hour from {{hour}} on that the rules "
        "allow.",
        "{{buyer}} wants to see {{address}} on {{date}}, no earlier than {{hour}}. Schedule the first permitted slot.",
    ],
    "withdraw_offers": [
        "{{buyer}} has changed their mind. Withdraw their pending offer, if any, and cancel all of their "
        "viewings scheduled on or after {{date}}.",
        "Withdraw {{buyer}}'s pending offer and call off every viewing of theirs from {{date}} onward.",
    ],
    "offer_percent": [
        "Submit an offer from {{buyer}} on {{address}} of {{percent}}% of the asking price (rounded to a whole "
        "unit), with the smallest deposit the rules allow.",
        "{{buyer}} offers {{percent}}% of the asking price for {{address}}, rounded to a whole unit. Put it in "
        "with the minimum permitted deposit.",
    ],
    "viewing_tour": [
        "On {{date}}, {{buyer}} wants to view every active {{kind}} in {{area}} with at least {{bedrooms}} "
        "bedrooms that they could afford at asking price. Book a viewing for each, respecting all viewing rules.",
        "Set up {{buyer}}'s viewing day on {{date}}: each {{kind}} for sale in {{area}} with {{bedrooms}}+ "
        "bedrooms that is within their means at the asking price gets a viewing, following the rules.",
    ],
    "best_offer": [
        "{{buyer}} wants the cheapest active {{kind}} in {{city}} with at least {{bedrooms}} bedrooms and a "
        "{{feature}} that they can afford at the lowest offer the rules allow. Withdraw their current pending "
        "offer if they have one, submit that lowest allowed offer (rounded up to a whole unit) with the smallest "
        "allowed deposit, and book them a viewing of it on {{date}} at any permitted hour.",
        "Find {{buyer}} the least expensive {{kind}} in {{city}} ({{bedrooms}}+ bedrooms, with a {{feature}}) "
        "that they could finance at the minimum permitted offer. Replace any pending offer of theirs with that "
        "minimum offer, rounded up to a whole unit, using the lowest deposit allowed, and schedule a viewing "
        "there on {{date}} at a time the rules allow.",
    ],
}
