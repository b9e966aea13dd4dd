"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "hotel_rating": [
        "What guest rating does {{hotel}} in {{city}} have?",
        "I'm looking at {{hotel}} in {{city}}. How is it rated by guests?",
        "Tell me the guest rating of the {{city}} hotel called {{hotel}}.",
    ],
    "flight_price": [
        "How much does flight {{code}} cost?",
        "What is the ticket price of flight {{code}}?",
        "Look up flight {{code}} and tell me its price.",
    ],
    "cheapest_rated_hotel": [
        "Which hotel in {{city}} with a guest rating of at least {{rating}} has the lowest nightly price?",
        "Find me the cheapest hotel in {{city}} rated {{rating}} or better. Just the name, please.",
        "Among {{city}} hotels rated at least {{rating}}, which one costs the least per night?",
    ],
    "average_price": [
        "What is the average nightly price of the {{stars}}-star hotels in {{city}}? Round to the cent.",
        "Compute the mean price per night across {{stars}}-star hotels in {{city}}, to the cent.",
    ],
    "rainy_cities": [
        "On {{date}}, which cities in {{country}} are forecast to be rainy?",
        "List the {{country}} cities where rain is expected on {{date}}.",
    ],
    "book_hotel": [
        "Book a hotel in {{city}} for {{guest}}: check-in {{date}}, {{nights}} nights, guest rating at least "
        "{{rating}}, breakfast included, and a total of no more than {{budget}}.",
        "{{guest}} needs {{nights}} nights in {{city}} from {{date}}. The hotel must include breakfast, be rated "
        "{{rating}} or higher, and the whole stay must cost at most {{budget}}. Please book it.",
    ],
    "trip": [
        "Plan {{guest}}'s trip from {{origin}} to {{city}} on {{date}}: book a flight with free seats and a hotel "
        "in {{city}} from that day for {{nights}} nights rated at least {{rating}}. Flight plus hotel must stay "
        "within {{budget}}. If rain is forecast in {{city}} that day, the hotel must have a pool.",
        "{{guest}} flies from {{origin}} to {{city}} on {{date}} and stays {{nights}} nights. Book the flight and "
        "a hotel rated {{rating}}+ there, spending no more than {{budget}} in total; should the forecast for "
        "{{city}} on arrival be rainy, only hotels with a pool will do.",
    ],
    "two_city_trip": [
        "{{guest}} travels {{origin}} -> {{first}} on {{date}}, then {{first}} -> {{second}} on {{date2}}, and stays "
        "in {{second}} for {{nights2}} nights. Book both flights (free seats needed), a hotel in {{first}} from "
        "{{date}} until {{date2}} and a hotel in {{second}} from {{date2}} for {{nights2}} nights, every hotel "
        "rated at least {{rating}}. The whole trip must cost at most {{budget}}. In any city where rain is "
        "forecast on the arrival day, the hotel must have a pool.",
        "Organise a two-city trip for {{guest}}: a flight from {{origin}} to {{first}} on {{date}} and one on to "
        "{{second}} on {{date2}}, a hotel in {{first}} for the nights from {{date}} until {{date2}}, and a hotel in "
        "{{second}} for {{nights2}} nights from {{date2}}. Hotels must be rated {{rating}} or better and, where it "
        "rains on arrival, have a pool. Flights and hotels together may not exceed {{budget}}.",
    ],
    "rebook": [
        "{{guest}} wants to move booking {{booking_id}} to the cheapest hotel in the same city with at least as "
        "many stars, same dates. Cancel the old booking and make the new one.",
        "Please cancel booking {{booking_id}} for {{guest}} and rebook the same dates at the lowest-priced hotel "
        "in that city whose star rating is not lower.",
    ],
}
