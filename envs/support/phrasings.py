"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "customer_tier": [
        "What loyalty tier is the customer {{email}} on?",
        "Tell me the customer tier of {{email}}.",
    ],
    "case_agent": [
        "Which agent is handling case {{case}}?",
        "Who is assigned to support case {{case}}?",
        "Tell me the agent on case {{case}}.",
    ],
    "refundable": [
        "How much of invoice #{{invoice}} could still be refunded today under the policy?",
        "If {{email}} asked today, what is the most we could refund on invoice #{{invoice}}?",
    ],
    "sla_breaches": [
        "Which open {{priority}}-priority cases have missed their first-response deadline without a response? "
        "Give only the case numbers.",
        "List the numbers of the open {{priority}} cases that still have no first response and are past their SLA.",
    ],
    "busiest_agent": [
        "Which level-{{level}} agent has the most open cases?",
        "Among level-{{level}} agents, who is handling the largest number of open cases?",
    ],
    "max_refund": [
        "{{email}} wants invoice {{invoice}} refunded (case {{case}}). Refund as much as the policy allows.",
        "Under case {{case}}, give {{email}} the largest refund the policy permits on invoice {{invoice}}.",
    ],
    "max_credit": [
        "Give the customer of case {{case}} the largest goodwill credit the policy allows, on that case.",
        "Case {{case}} deserves a goodwill gesture: credit the customer the maximum the policy permits.",
    ],
    "assign_lightest": [
        "Assign case {{case}} to the eligible agent with the fewest open cases.",
        "Route case {{case}} to whichever agent allowed to take it currently has the fewest open cases.",
    ],
    "triage_category": [
        "Take every open, unassigned {{category}} case: assign each to an agent allowed to handle it so that no "
        "agent ends up with more than {{cap}} open cases, and send each a first response from its agent.",
        "Triage the open {{category}} cases nobody owns: give each an eligible agent (no agent may exceed "
        "{{cap}} open cases afterwards) and have that agent send the first response.",
    ],
    "outage_compensation": [
        "After the outage, every open outage case of a {{tier}}-tier customer gets the maximum goodwill credit "
        "(unless it already has one), a first response if it has none (by its agent, or by {{agent}} if "
        "unassigned), and is then resolved.",
        "Compensate {{tier}} customers for the outage: for each of their open outage cases, issue the largest "
        "allowed credit where none exists yet, make sure it has a first response (its own agent, else "
        "{{agent}}), and resolve it.",
    ],
    "cancel_and_refund": [
        "{{email}} is leaving (case {{case}}). Cancel all their active subscriptions and refund every one of their "
        "invoices as much as the policy allows, under case {{case}}. If the refunds add up to less than "
        "{{threshold}}, also give the largest allowed goodwill credit on that case. Then have {{agent}} respond "
        "to the case if it has no response yet, and resolve it.",
        "Offboard {{email}} under case {{case}}: every active subscription cancelled; each invoice refunded up "
        "to the policy limit; when the total refunded stays below {{threshold}}, add the maximum permitted "
        "goodwill credit on the case; finally make sure it has a first response ({{agent}} if none) and resolve "
        "it.",
    ],
}
