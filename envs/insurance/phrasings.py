"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "claim_status": [
        "What is the status of claim {{number}}?",
        "Tell me the current status of claim {{number}}.",
    ],
    "deductible": [
        "What is the {{peril}} deductible on policy {{policy}}?",
        "How large is the deductible for {{peril}} claims under policy {{policy}}?",
    ],
    "paid_total": [
        "How much has been paid out in total on {{holder}}'s claims?",
        "Add up every claim payment made to {{holder}} so far.",
    ],
    "remaining_limit": [
        "How much of the {{peril}} limit on policy {{policy}} is still available, after the payouts already "
        "approved or paid?",
        "What remains of policy {{policy}}'s {{peril}} limit once approved and paid payouts are taken off?",
    ],
    "busiest_adjuster": [
        "Which {{product}} adjuster currently has the most open claims (open or in review)?",
        "Among the adjusters specialising in {{product}}, who carries the largest open caseload?",
    ],
    "adjudicate": [
        "Decide claim {{number}} under the policy: flag it, deny it or approve it for the right payout, "
        "reassigning it first if its adjuster may not make that decision.",
        "Please adjudicate claim {{number}} following the claims rules (fraud review, cover, payout), making sure "
        "the adjuster who decides it is allowed to.",
    ],
    "assign_queue": [
        "Assign every unassigned open {{product}} claim, in order of claim number, to the adjuster the policy "
        "prescribes.",
        "Route the open {{product}} claims that have no adjuster yet, lowest claim number first, following the "
        "assignment rule.",
    ],
    "file_and_decide": [
        "{{holder}} reports a {{peril}} incident on {{incident}} under policy {{policy}}, claiming {{amount}}. "
        "File the claim, assign it to the right adjuster, and decide it under the policy.",
        "File a {{peril}} claim for {{amount}} on policy {{policy}} ({{holder}}, incident date {{incident}}), "
        "route it to the prescribed adjuster and adjudicate it.",
    ],
    "holder_queue": [
        "Work through all open claims of {{holder}}, lowest claim number first: make sure each has the right "
        "adjuster (assign or reassign as the policy requires) and decide it.",
        "Adjudicate every open claim that {{holder}} has, in claim-number order, assigning or reassigning "
        "adjusters where the rules call for it.",
    ],
    "triage": [
        "Clear the open {{product}} claims with incidents from {{start}} to {{end}}, lowest claim number first: "
        "give each the right adjuster (assigning or reassigning as needed), decide it under the policy, and pay "
        "right away every one you approve for at most {{pay_limit}}.",
        "Triage open {{product}} claims whose incident date falls between {{start}} and {{end}} in claim-number "
        "order — route, adjudicate, and immediately pay approvals of {{pay_limit}} or less.",
    ],
    "multi_file": [
        "{{holder}} had one incident on {{incident}} affecting policy {{policy}}: file separate claims for "
        "{{items}}. Then, one claim at a time in that order, assign the prescribed adjuster, decide it, and pay "
        "it if approved.",
        "File {{holder}}'s claims under policy {{policy}} for an incident on {{incident}} — {{items}} — and "
        "for each, in the listed order, route it, adjudicate it and pay it if it is approved.",
    ],
}
