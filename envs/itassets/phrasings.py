"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "device_holder": [
        "Who currently holds device {{tag}}?",
        "Which employee has asset {{tag}}?",
        "Tell me the name of the person device {{tag}} is assigned to.",
    ],
    "warranty_end": ["When does the warranty on {{tag}} end?", "Give me the warranty end date of asset {{tag}}."],
    "free_seats": [
        "How many unused seats does the {{product}} licence have?",
        "How many of the {{product}} licence's seats are not assigned to anyone?",
    ],
    "refresh_count": [
        "How many {{kind}}s held by {{dept}} employees are due for refresh?",
        "Count the {{kind}}s assigned to people in {{dept}} that are due for refresh under the policy.",
    ],
    "oldest_device": [
        "Which {{dept}} employee holds the oldest {{kind}} in that department?",
        "In {{dept}}, whose {{kind}} was purchased longest ago?",
    ],
    "expiring_licences": [
        "Which licences are still valid today but expire before {{date}}? Name the products.",
        "List the software products whose licence has not expired yet but will expire before {{date}}.",
    ],
    "spend_room": [
        "How much can {{dept}} still spend on purchases under the policy?",
        "What is the most {{dept}} could spend on new equipment today without breaking the budget policy?",
    ],
    "assign_newest": [
        "{{email}} needs a {{kind}}. Assign them the newest in-stock {{kind}} that is not due for refresh.",
        "Issue {{email}} a {{kind}} from stock: the most recently purchased one that is not due for refresh.",
    ],
    "repair_or_retire": [
        "Device {{tag}} has a {{issue}}. Handle it under the repair policy; if it goes to an "
        "outside vendor, use the cheapest eligible one.",
        "Asset {{tag}} reported: {{issue}}. Send it for repair as the policy requires (cheapest "
        "eligible vendor when a vendor fee applies), or retire it if the policy says so.",
    ],
    "grant_seat": [
        "Give {{email}} a seat on {{product}}. If no seat is free, buy one more seat charged to their department.",
        "{{email}} needs {{product}}: assign a seat, adding a single extra seat billed to their "
        "department only if the licence is full.",
    ],
    "onboard": [
        "{{email}} has just joined. Set them up with a {{kind_a}} and a {{kind_b}}: for each, use any "
        "in-stock device of that kind that is not due for refresh, or, if there is none, buy the "
        "cheapest model of that kind for their department. Also give them a seat on {{product}}.",
        "Onboard the new hire {{email}}: one {{kind_a}} and one {{kind_b}} (from stock when a unit not "
        "due for refresh is available, otherwise the cheapest model of that kind, bought for their "
        "department) and a {{product}} seat.",
    ],
    "offboard": [
        "{{email}} is leaving. Take back all their devices that are not in repair: retire the ones due "
        "for refresh and return the others to stock. Revoke all their licence seats; if they had a "
        "{{product}} seat, give one to {{colleague}}.",
        "Offboard {{email}}: every device they hold that is not in repair comes back (retired when due "
        "for refresh, otherwise back to stock), all their licence seats are revoked, and if one of "
        "those was {{product}}, {{colleague}} gets a {{product}} seat.",
    ],
    "licence_rollout": [
        "Every active {{dept}} employee should have a {{product}} seat. First revoke the "
        "{{product}} seats held by leaving employees (in any department), then buy only as many "
        "extra seats as are still needed, charged to {{dept}}, and assign them.",
        "Roll {{product}} out to all active staff in {{dept}}: reclaim every {{product}} seat "
        "held by a leaving employee, buy just the extra seats still missing (billed to "
        "{{dept}}), and give everyone in {{dept}} without one a seat.",
    ],
    "refresh_wave": [
        "Run a refresh wave for {{kind}}s in {{dept}}: replace the {{kind}}s held by active "
        "{{dept}} employees that are due for refresh, oldest first, as far as the department's "
        "purchase limit allows. Each holder gets an in-stock {{kind}} that is not due for refresh "
        "and has at least {{ram}} GB RAM while any remain, otherwise a newly bought unit of the "
        "cheapest {{kind}} model with at least {{ram}} GB RAM, charged to {{dept}}. Retire every "
        "replaced {{kind}}.",
        "{{dept}} {{kind}} refresh for its active staff: oldest due-for-refresh {{kind}}s first, and "
        "only as many as {{dept}}'s remaining purchase limit covers. Replacements come from stock "
        "(not due for refresh, {{ram}} GB RAM or more) while stock lasts, then from purchases of "
        "the cheapest {{kind}} model with at least {{ram}} GB RAM billed to {{dept}}. Old units are "
        "retired.",
    ],
    "team_onboard": [
        "Onboard every new hire in {{dept}} who has no devices yet: each gets a {{kind}} (any "
        "in-stock one not due for refresh while they last, then the cheapest {{kind}} model bought "
        "for {{dept}}) and a seat on {{product}} (buying for {{dept}} only as many extra seats as "
        "are missing), all within {{dept}}'s purchase limit.",
        "Equip {{dept}}'s new starters (people in {{dept}} with no devices): one {{kind}} each, "
        "from stock units not due for refresh first and then the cheapest {{kind}} model purchased "
        "for {{dept}}, plus a {{product}} seat each, buying for {{dept}} just the extra seats "
        "still missing.",
    ],
}
