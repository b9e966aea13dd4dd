"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "opp_stage": [
        "What stage is opportunity {{opp}} in right now?",
        "Tell me the current pipeline stage of deal #{{opp}}.",
    ],
    "account_owner": [
        "Who owns the account {{account}}?",
        "Which sales owner is responsible for {{account}}?",
        "Tell me the account owner of {{account}}.",
    ],
    "stage_entered": [
        "On what date did opportunity {{opp}} enter its current stage? Answer with the date (YYYY-MM-DD).",
        "When was deal #{{opp}} moved into the stage it is in now? Give the ISO date.",
    ],
    "open_pipeline": [
        "What is the total amount of {{owner}}'s open opportunities that are in {{stage}} or a later open stage?",
        "Add up the amounts of the open deals owned by {{owner}} at stage {{stage}} or beyond (not won or lost).",
    ],
    "top_attainment": [
        "Which {{region}}-region owner has the highest quota attainment this quarter (won total divided by quota)?",
        "Among owners in the {{region}} region, who has achieved the largest share of their quarterly quota so far?",
    ],
    "stale_deals": [
        "Which of {{owner}}'s open opportunities have had no activity logged on or after {{since}}? Give only "
        "their numbers.",
        "List the numbers of {{owner}}'s open deals with no activity since {{since}} (activities on that day count).",
    ],
    "industry_won": [
        "What is the total amount of won opportunities at {{industry}} accounts with a close date between "
        "{{start}} and {{end}} (inclusive)?",
        "How much did we win from {{industry}} customers on deals closed from {{start}} through {{end}}?",
    ],
    "advance_deal": [
        "Move opportunity {{opp}} forward by one stage. If the policy needs an activity logged first, log the "
        "missing one with the account's primary contact.",
        "Advance deal #{{opp}} to its next stage; where the policy requires a logged activity before that, log "
        "it with the primary contact of the account first.",
    ],
    "reassign_lightest": [
        "Reassign opportunity {{opp}} to another owner allowed to hold it who currently has the fewest open "
        "opportunities.",
        "Hand deal #{{opp}} over to the eligible owner (other than its current one) with the lightest open "
        "pipeline by count.",
    ],
    "push_overdue": [
        "Every open opportunity of {{owner}} whose close date has already passed should be moved to close on {{date}}.",
        "{{owner}} has overdue deals: set the close date of each of their open opportunities dated before today "
        "to {{date}}.",
    ],
    "rebalance_owner": [
        "{{owner}} is going on leave. Reassign every one of their opportunities in the {{stage}} stage to other "
        "owners allowed to hold them, so that no owner ends up with more than {{cap}} open opportunities.",
        "Move all of {{owner}}'s {{stage}}-stage deals to eligible colleagues; afterwards nobody may hold more "
        "than {{cap}} open opportunities.",
    ],
    "quarter_close": [
        "Quarter-end review for {{owner}}: each of their open negotiation-stage opportunities closing on or "
        "before {{cutoff}} is marked won if the policy allows it now, otherwise its close date moves to "
        "{{new_date}}; their open proposal-stage opportunities closing by {{cutoff}} also move to {{new_date}}.",
        "Review {{owner}}'s deals closing by {{cutoff}}: mark the negotiation-stage ones won where policy "
        "permits (push the rest to {{new_date}}), and push the proposal-stage ones to {{new_date}} as well.",
    ],
    "account_review": [
        "Review account {{account}}: mark every open opportunity whose close date has passed as lost (reason: "
        "stale); for each remaining open opportunity worth at least {{threshold}} that is not yet in "
        "negotiation, log a meeting with the primary contact and advance it one stage; finally create an "
        "opportunity named '{{new_name}}' worth 10% of the account's total won amount (rounded to whole units), "
        "closing {{close}}, owned by the account owner if the policy allows, otherwise by the senior owner of "
        "the account's region with the fewest open opportunities.",
        "Clean up {{account}}'s pipeline. Overdue open deals become lost with the reason 'stale'. Open deals "
        "before negotiation with an amount of {{threshold}} or more get a meeting logged with the primary "
        "contact and move up one stage. Then open '{{new_name}}', closing {{close}}, for 10% of everything ever "
        "won at the account (whole units), owned by the account owner, or if policy forbids, by the region's "
        "senior owner holding the fewest open deals.",
    ],
    "quota_push": [
        "Help {{owner}} reach quota: go through their open negotiation-stage opportunities from the largest "
        "amount down and mark each won (skipping any the policy does not allow to be won) until their won "
        "total for the quarter reaches their quota; then move the close date of their negotiation-stage "
        "opportunities still open to {{new_date}}.",
        "Close {{owner}}'s negotiation deals, biggest first, as won where policy permits, stopping as soon as "
        "their quarter's won total reaches their quota. Any of their negotiation-stage deals left open should "
        "then close on {{new_date}}.",
    ],
}
