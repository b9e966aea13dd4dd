"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "appointment_room": [
        "In which room is {{patient}}'s appointment with {{doctor}} on {{date}}?",
        "{{patient}} sees {{doctor}} on {{date}}. Which room should they go to?",
    ],
    "open_slots": [
        "How many open appointment slots does {{doctor}} have on {{date}}?",
        "Count the free slots in {{doctor}}'s schedule for {{date}}.",
    ],
    "visit_copay": [
        "How much would {{patient}} pay out of pocket for one visit with {{doctor}}?",
        "What is {{patient}}'s share of the fee for an appointment with {{doctor}}, given their insurance?",
        "Tell me the patient's cost of a visit with {{doctor}} for {{patient}}.",
    ],
    "cheapest_specialist": [
        "Which {{specialty}} doctor rated at least {{rating}} has the lowest fee?",
        "Among {{specialty}} doctors with a rating of {{rating}} or more, who charges the least?",
    ],
    "valid_referrals": [
        "For which specialties does {{patient}} hold a referral that is still usable today?",
        "List the specialties for which {{patient}} holds a referral that is unused and has not expired as of today.",
    ],
    "busiest_doctor": [
        "Which doctor in the {{department}} department has the most upcoming booked appointments?",
        "Who is the busiest doctor of {{department}} by number of upcoming booked appointments?",
    ],
    "book_primary": [
        "Book {{patient}} with their primary doctor at the earliest open slot on or after {{date}} (reason: "
        "{{reason}}), keeping to the hospital's rules.",
        "{{patient}} needs to see their own GP about {{reason}}. Take the first slot with that doctor from "
        "{{date}} onward that the policy allows.",
    ],
    "cancel_day": [
        "{{patient}} can't make it to any of their appointments on {{date}}. Cancel them.",
        "Cancel every appointment {{patient}} has booked for {{date}}.",
    ],
    "reschedule_later": [
        "Move {{patient}}'s appointment with {{doctor}} on {{date}} to the earliest open slot with the same "
        "doctor after {{after}} that the rules allow.",
        "{{patient}} asks to move their {{date}} appointment with {{doctor}}: rebook it at that doctor's "
        "first free slot after {{after}} allowed by our policy.",
    ],
    "specialist_visit": [
        "{{patient}} needs an appointment in {{specialty}} (reason: {{reason}}) between {{start}} and {{end}}. "
        "Use an existing valid referral if they have one; otherwise have their primary doctor issue one first. "
        "Book any {{specialty}} doctor whose visit costs the patient at most {{budget}}, following all rules.",
        "Arrange a visit to {{specialty}} for {{patient}} ({{reason}}) on a day from {{start}} to {{end}}. If no "
        "usable referral is on file, get one from their primary doctor before booking. Their out-of-pocket "
        "cost must not exceed {{budget}}, and every hospital rule applies.",
    ],
    "care_plan": [
        "Set up {{patient}}'s care plan: cancel their appointment on {{cancel_date}}, then book a "
        "visit in {{first}} and one in {{second}}, both between {{start}} and {{end}} and on different days. "
        "Have their primary doctor issue any referral they lack. The two visits together may cost the patient "
        "at most {{budget}}, and {{first}} must come before {{second}}. Follow all hospital rules.",
        "For {{patient}}: first drop the appointment on {{cancel_date}}. Then book {{first}} and afterwards "
        "{{second}} (the visit in {{first}} on an earlier day), each between {{start}} and {{end}}, paying no more "
        "than {{budget}} in total out of pocket. Missing referrals come from their primary doctor. Respect the "
        "policy throughout.",
    ],
}
