"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "car_rate": [
        "What is the daily rate of the car with plate {{plate}}?",
        "How much per day does car {{plate}} cost to rent?",
        "Look up car {{plate}} and tell me its daily rate.",
    ],
    "one_way_fee": [
        "What is the one-way fee for picking a car up at {{a}} and returning it at {{b}}?",
        "If I collect a car at {{a}} and drop it off at {{b}}, what one-way fee applies?",
    ],
    "licence_years": [
        "For how many years has {{driver}} held a driving licence?",
        "How long (in years) has our driver {{driver}} been licensed?",
    ],
    "count_available": [
        "How many {{car_class}} cars are available at {{branch}} from {{start}} to {{end}}?",
        "Count the {{car_class}}-class cars that can be rented at {{branch}} with pickup {{start}} and return {{end}}.",
    ],
    "cheapest_feature": [
        "Which car available at {{branch}} from {{start}} to {{end}} with {{feature_text}} has the lowest daily "
        "rate? Give its plate.",
        "I need a car with {{feature_text}} at {{branch}}, pickup {{start}}, return {{end}}. What is the plate "
        "of the cheapest one available?",
    ],
    "quote_total": [
        "What would it cost in total for {{driver}} to rent car {{plate}} from {{start}} to {{end}} with "
        "{{insurance}} insurance, returning it at {{ret}}?",
        "Quote the full price: driver {{driver}}, car {{plate}}, {{start}} to {{end}}, {{insurance}} cover, "
        "drop-off at {{ret}}.",
    ],
    "driver_spend": [
        "How much has {{driver}} paid in total for completed rentals?",
        "What is the sum of the totals of all completed rentals by {{driver}}?",
    ],
    "book_cheapest": [
        "Book the cheapest available {{car_class}} car at {{branch}} for {{driver}}, from {{start}} to {{end}}, "
        "with {{insurance}} insurance, returning it to the same branch.",
        "{{driver}} wants a car of the {{car_class}} class from {{branch}}: pickup {{start}}, return {{end}} at the "
        "same branch, {{insurance}} cover. Reserve the one with the lowest daily rate.",
    ],
    "cancel_rental": [
        "{{driver}} no longer needs the car booked at {{branch}} for pickup on {{start}}. Cancel that rental.",
        "Please cancel {{driver}}'s booked rental that starts on {{start}} at {{branch}}.",
    ],
    "extend_rental": [
        "{{driver}} wants to keep the car from the rental picking up at {{branch}} on {{start}} for {{extra}} "
        "more day{{ 's' if extra != 1 else '' }}. Extend it.",
        "Extend {{driver}}'s booked rental (pickup {{start}} at {{branch}}) by {{extra}} "
        "day{{ 's' if extra != 1 else '' }}.",
    ],
    "one_way_trip": [
        "Book a car for {{driver}}: pickup at {{a}} on {{start}}, drop-off at {{b}} on {{end}}. It needs at least "
        "{{seats}} seats and {{gear}} transmission, and the total must not exceed {{budget}}. Take FULL insurance "
        "if the rental lasts {{long_days}} days or more, otherwise PLUS.",
        "{{driver}} is driving from {{a}} ({{start}}) to {{b}} ({{end}}) one way. Reserve a car with {{seats}}+ "
        "seats and {{gear}} gearbox, total at most {{budget}}; insurance must be FULL for rentals of "
        "{{long_days}}+ days and PLUS for shorter ones.",
    ],
    "car_maintenance": [
        "Car {{plate}} has to go into maintenance. Move each of its booked rentals to another car of the same "
        "class at the same branch (same driver, dates, return branch and insurance), then set the car's status "
        "to maintenance.",
        "Take car {{plate}} out of service for maintenance: first rebook every booked rental on it onto another "
        "same-class car at that branch, keeping driver, dates, return branch and insurance, then mark it as "
        "maintenance.",
    ],
    "multi_leg": [
        "Plan {{driver}}'s road trip in two one-way rentals: {{a}} on {{d1}} to {{b}} on {{d2}}, then {{b}} on "
        "{{d2}} to {{c}} on {{d3}}. Every car needs at least {{seats}} seats and must not be a van. A leg of "
        "{{long_days}} days or more takes FULL insurance, a shorter one BASIC. Both rentals together must cost at "
        "most {{budget}}. Book both.",
        "{{driver}} drives {{a}} -> {{b}} ({{d1}} to {{d2}}) and then {{b}} -> {{c}} ({{d2}} to {{d3}}), a "
        "separate one-way rental per leg. Cars: {{seats}}+ seats, no vans. Insurance: FULL on legs of "
        "{{long_days}}+ days, BASIC otherwise. Keep the two totals together within {{budget}} and book them.",
    ],
    "change_return": [
        "{{driver}} will now return the car of the rental picked up at {{branch}} on {{start}} at {{new_branch}}. "
        "Update the booking.",
        "Change the return branch of {{driver}}'s rental (pickup {{start}} at {{branch}}) to {{new_branch}}.",
    ],
    "branch_closure": [
        "Branch {{closing}} is closing. Move every booked rental picked up there to {{target}}: cancel it and "
        "book a car of the same class at {{target}} for the same driver, dates and insurance (a rental that was "
        "to be returned at {{closing}} is returned at {{target}} instead; otherwise keep its return branch). "
        "Rentals picked up elsewhere but due back at {{closing}} are to be returned at {{target}}. Then close "
        "{{closing}}.",
        "We are shutting {{closing}}. Rebook all of its booked pickups at {{target}} with a same-class car, same "
        "driver, dates and insurance; returns due at {{closing}} go to {{target}}, other returns stay. Rentals from "
        "other branches that end at {{closing}} must end at {{target}} too. Cancel the old rentals and close the "
        "branch afterwards.",
    ],
}
