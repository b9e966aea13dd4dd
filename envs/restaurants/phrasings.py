"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "closing_time": [
        "What time does {{restaurant}} close on {{weekday}}s?",
        "On a {{weekday}}, until what time is {{restaurant}} open? Give the closing time (HH:MM).",
    ],
    "reservation_table": [
        "Which table is reservation {{ref}} booked at? Give the table code.",
        "Tell me the table code assigned to booking {{ref}}.",
    ],
    "table_seats": [
        "How many seats does table {{table}} at {{restaurant}} have?",
        "What is the seating capacity of {{restaurant}}'s table {{table}}?",
    ],
    "diet_count": [
        "How many {{diet_word}} main courses does {{restaurant}} offer?",
        "Count the mains on {{restaurant}}'s menu that are flagged {{diet_word}}.",
        "A guest is {{diet_word}}. How many main courses at {{restaurant}} could they order?",
    ],
    "best_rated": [
        "Among {{cuisine}} restaurants with a price level of at most {{max_price}}, which one has the highest rating?",
        "Which {{cuisine}} restaurant is rated highest if we only consider price levels up to {{max_price}}?",
    ],
    "covers_on_date": [
        "How many guests in total are booked (active reservations) at {{restaurant}} on {{date}}?",
        "Add up the party sizes of all booked reservations at {{restaurant}} for {{date}}.",
    ],
    "customer_deposits": [
        "What is the total deposit held on {{customer}}'s booked reservations?",
        "Sum the deposits of every reservation of {{customer}} that is still booked.",
    ],
    "open_at": [
        "Which {{cuisine}} restaurants could seat a two-hour sitting starting at {{time}} on a {{weekday}}? "
        "List them by name.",
        "List the {{cuisine}} restaurants whose {{weekday}} opening hours allow a reservation starting at {{time}}.",
    ],
    "book_table": [
        "Book a table at {{restaurant}} for {{customer}}: {{party}} guests on {{date}} at {{time}}. Tell me the "
        "deposit due.",
        "{{customer}} wants to dine at {{restaurant}} on {{date}} at {{time}} with a party of {{party}}. Make "
        "the booking following the policy and report the deposit.",
    ],
    "cancel_booking": [
        "Cancel {{customer}}'s reservation at {{restaurant}} on {{date}} and tell me how much deposit is refunded.",
        "{{customer}} can no longer make it to {{restaurant}} on {{date}}. Cancel that booking and report the "
        "refund amount.",
    ],
    "resize_party": [
        "Reservation {{ref}} is growing to {{party}} guests. Update it, moving it to another table of the same "
        "restaurant if the current table no longer works, and tell me the new deposit.",
        "The party on booking {{ref}} is now {{party}} people. Change the reservation accordingly (same "
        "restaurant, date and time; switch tables only if needed) and report the deposit it now carries.",
    ],
    "plan_dinner": [
        "Plan a dinner for {{customer}}'s group of {{party}} on {{date}} at {{time}}. It must be a {{cuisine}} "
        "restaurant rated at least {{min_rating}}, with at least {{diet_min}} {{diet_word}} main courses, at "
        "price level {{max_price}} or below (price level {{max_price + 1}} is acceptable only if the restaurant "
        "is rated {{bonus}} or higher){% if cap is not none %}, and any deposit must not exceed {{cap}}{% endif "
        "%}. Book a suitable table.",
        "{{customer}} is organising dinner for {{party}} people on {{date}}, starting {{time}}. Find a "
        "{{cuisine}} place with a rating of {{min_rating}} or more that has {{diet_min}}+ {{diet_word}} mains; "
        "keep to price level {{max_price}} unless the place is rated at least {{bonus}}, in which case level "
        "{{max_price + 1}} is fine{% if cap is not none %}; the deposit may be at most {{cap}}{% endif %}. Then "
        "reserve a table there.",
    ],
    "move_booking": [
        "{{customer}} wants to move their {{date}} reservation away from {{restaurant}} to a different "
        "{{cuisine}} restaurant rated at least {{min_rating}}, same time and party size. Cancel the old booking, "
        "make the new booking, and tell me the deposit refunded for the old booking.",
        "Switch {{customer}}'s booking at {{restaurant}} on {{date}} to another {{cuisine}} restaurant with a "
        "rating of {{min_rating}} or more (keep the time and the party size): cancel, rebook, and report the "
        "refunded deposit.",
    ],
    "two_dinners": [
        "{{customer}} needs two dinners booked: {{party1}} guests on {{date1}} at {{time1}} at a {{cuisine1}} "
        "restaurant, and {{party2}} guests on {{date2}} at {{time2}} at a {{cuisine2}} restaurant. Both places "
        "must be rated at least {{min_rating}} and be different restaurants, each must offer at least {{diet_min}} "
        "{{diet_word}} main courses, and the two deposits together may not exceed {{cap}}. Book both.",
        "Book two evenings for {{customer}}: a {{cuisine1}} dinner for {{party1}} on {{date1}} ({{time1}}) and a "
        "{{cuisine2}} dinner for {{party2}} on {{date2}} ({{time2}}), at two different restaurants rated "
        "{{min_rating}}+ with {{diet_min}} or more {{diet_word}} mains each; the combined deposit must stay "
        "within {{cap}}.",
    ],
    "closure": [
        "{{restaurant}} must close on {{date}}. Cancel every booked reservation there that day and rebook each "
        "party at another restaurant rated at least {{min_rating}} with a price level no higher than "
        "{{max_price}}, same customer, time and party size. Report the total deposit refunded.",
        "Kitchen repairs shut {{restaurant}} on {{date}}. Move all of that day's booked parties elsewhere: "
        "cancel each booking and reserve the same time and party size for the same customer at a different "
        "restaurant rated {{min_rating}} or above and at price level {{max_price}} or lower. Tell me how much "
        "deposit was refunded in total.",
    ],
}
