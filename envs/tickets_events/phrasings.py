"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "section_price": [
        "What is the listed price of a seat in {{section}} for {{event}} on {{date}}?",
        "How much does one ticket in the {{section}} section cost for {{event}} ({{date}}), before discounts?",
        "Look up the list price of {{section}} seats at {{event}} on {{date}}.",
    ],
    "free_seats": [
        "How many seats are still free in {{section}} for {{event}} on {{date}}?",
        "For {{event}} ({{date}}), count the unsold seats in the {{section}} section.",
    ],
    "event_venue": [
        "Which venue hosts {{event}} on {{date}}?",
        "Where does {{event}} take place on {{date}}? Just the venue name.",
    ],
    "active_tickets": [
        "How many active (not refunded) tickets does {{customer}} hold, across all of their orders?",
        "Count the tickets {{customer}} currently holds over all events, leaving out refunded ones.",
    ],
    "refunded_total": [
        "How much money has been refunded to {{customer}} in total? Round to the cent.",
        "Add up every refund {{customer}} has received so far, to the cent.",
    ],
    "cheapest_event": [
        "Among {{what}} in {{city}} between {{start}} and {{end}} that are on sale, which one has the lowest "
        "listed price for a section that still has free seats?",
        "I want the cheapest way into one of the {{what}} in {{city}} from {{start}} to {{end}}. Which event "
        "(currently on sale) has the lowest list price among its sections with seats left?",
    ],
    "roomy_sections": [
        "Which sections of {{event}} on {{date}} still have at least {{n}} free seats?",
        "List the sections of {{event}} ({{date}}) with {{n}} or more unsold seats.",
    ],
    "buy_in_section": [
        "Sell {{n}} ticket{{ 's' if n != 1 else '' }} in {{section}} for {{event}} on {{date}} to {{customer}}.",
        "{{customer}} wants {{n}} seat{{ 's' if n != 1 else '' }} in the {{section}} section of {{event}} "
        "({{date}}). Please book {{ 'them' if n != 1 else 'it' }}.",
    ],
    "refund_order": [
        "{{customer}} asks for a refund of every active ticket in order #{{order_id}}. Process it and tell me "
        "how much is refunded.",
        "Please refund order #{{order_id}} for {{customer}} (all tickets still active) and report the refunded amount.",
    ],
    "refund_if_allowed": [
        "{{customer}} would like to return the active tickets of order #{{order_id}}. Refund them if our policy "
        "allows it, otherwise change nothing. Then tell me whether they were refunded.",
        "Check whether order #{{order_id}} of {{customer}} can still be refunded under the policy. If it can, "
        "refund all its active tickets; if not, leave it. Finally say whether you refunded them.",
    ],
    "best_section": [
        "Book {{n}} tickets for {{customer}} to {{event}} on {{date}} in the most expensive section where the "
        "whole order stays within {{budget}}. If the customer's ticket limit for the event (or any order rule) "
        "allows fewer than {{n}}, book as many as allowed.",
        "{{customer}} wants {{n}} seats together at {{event}} ({{date}}), as good a section as possible: pick "
        "the highest-priced section whose order total is at most {{budget}}. Book fewer if the rules on ticket "
        "limits leave room for fewer.",
    ],
    "cheapest_outing": [
        "{{customer}} wants {{n}} tickets in one section for {{what}} event in {{city}} between {{start}} "
        "and {{end}}. Choose the event and section with the lowest order total for them and book it; never "
        "spend more than {{budget}}.",
        "Find {{customer}} the cheapest way to get {{n}} seats in the same section at {{what}} event in "
        "{{city}} from {{start}} to {{end}}, and book it (budget {{budget}}).",
    ],
    "exchange": [
        "{{customer}} wants to swap order #{{order_id}} for {{event}} on {{date}}: refund all active tickets of "
        "that order, then book the same number of seats for {{event}} in the most expensive section whose new "
        "order total minus the refund stays within {{budget}}.",
        "Exchange {{customer}}'s order #{{order_id}} for tickets to {{event}} ({{date}}): refund the order's "
        "active tickets and buy as many seats in one section of {{event}}, choosing the highest-priced section "
        "where what they pay on top of the refund is no more than {{budget}}.",
    ],
    "upgrade": [
        "{{customer}} wants to upgrade the active tickets of order #{{order_id}}: refund them and book the same "
        "number of seats for the same event in the cheapest section with a higher list price than their current "
        "one. The new total minus the refund must not exceed {{budget}}.",
        "Upgrade order #{{order_id}} for {{customer}}: return its active tickets and rebook as many seats at the "
        "same event in the least expensive section listed above their current section's price; the extra cost "
        "(new total minus refund) may be at most {{budget}}.",
    ],
}
