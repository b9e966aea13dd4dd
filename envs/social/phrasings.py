"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "follower_count": [
        "How many followers does @{{handle}} have?",
        "Count the accounts that follow @{{handle}}.",
        "What is @{{handle}}'s follower count?",
    ],
    "post_likes": [
        "How many likes does post #{{post_id}} have?",
        "Look up post #{{post_id}} and tell me its number of likes.",
    ],
    "user_city": [
        "Which city does {{name}} live in according to their profile?",
        "Where is {{name}} based? Give the city from their profile.",
    ],
    "mutual_count": [
        "How many of the accounts @{{handle}} follows follow them back?",
        "Count @{{handle}}'s mutual follows (accounts they follow that also follow them).",
    ],
    "fof_count": [
        "How many distinct users are followed by at least one of the accounts @{{handle}} follows, not counting "
        "@{{handle}} and accounts @{{handle}} already follows?",
        "Count @{{handle}}'s friends of friends: users followed by someone @{{handle}} follows, excluding "
        "@{{handle}} themself and anyone @{{handle}} already follows.",
    ],
    "top_group_post": [
        "In the group {{group}}, whose post from {{since}} onwards has the most likes? Give the author's handle.",
        "Which member wrote the most-liked post in {{group}} published on or after {{since}}? Answer with their "
        "handle.",
        "Find the post in {{group}} (posted {{since}} or later, not removed) with the most likes and tell me "
        "who wrote it (handle).",
    ],
    "common_groups": [
        "Which groups do @{{a}} and @{{b}} both belong to?",
        "List every group that has both @{{a}} and @{{b}} as members.",
    ],
    "follow_back": [
        "Make @{{handle}} follow back every follower they do not follow yet, as far as the policy allows.",
        "@{{handle}} wants to follow back all their followers. Add the missing follows that the policy "
        "permits and skip the others.",
    ],
    "dm_group_mutuals": [
        'On behalf of @{{handle}}, send the message "{{body}}" to every member of {{group}} who is a mutual '
        "follow of @{{handle}} and may receive it under the policy.",
        '@{{handle}} wants to DM "{{body}}" to each of their mutual follows in the group {{group}}. Send it '
        "to all of them the policy allows, once each.",
    ],
    "like_group_follows": [
        "Have @{{handle}} like every post in {{group}} from {{since}} onwards written by accounts they follow, "
        "skipping posts they already liked and anything the policy forbids.",
        "@{{handle}} wants to catch up on {{group}}: like each post there dated {{since}} or later whose author "
        "@{{handle}} follows, where allowed and not liked yet.",
    ],
    "moderation_sweep": [
        "You act as @{{admin}}, an admin of {{group}}. Remove every post in the group that the policy allows "
        'you to remove (reason: "{{reason}}"), then suspend every author of a removed post who now has enough '
        "strikes to be suspended.",
        "Clean up {{group}} as its admin @{{admin}}: take down all posts that may be removed under the "
        'reporting rule, with the reason "{{reason}}", and afterwards suspend those authors whose strikes now '
        "allow a suspension.",
    ],
    "group_outreach": [
        "@{{handle}} wants to promote {{group}}. Make sure they are a member (join if needed), post "
        '"{{text}}" in the group, and send the message "{{body}}" to every member of the group who follows '
        "@{{handle}} and may be messaged by them under the policy.",
        'Help @{{handle}} with {{group}}: join it if they have not yet, publish the post "{{text}}" there, '
        'then DM "{{body}}" to each group member who is one of @{{handle}}\'s followers, wherever the policy '
        "allows it.",
    ],
    "harassment_response": [
        "@{{victim}} reports being harassed by @{{harasser}}. Have @{{victim}} block them. Then, acting as "
        "@{{admin}} (an admin of {{group}}), remove every post by @{{harasser}} in that group that the policy "
        'allows you to remove (reason: "harassment"), suspend @{{harasser}} if their strikes now allow it, and '
        'finally send @{{admin}} the message "{{body}}" from @{{victim}} if the policy permits it.',
        "Handle a harassment case: @{{victim}} blocks @{{harasser}}; group admin @{{admin}} takes down all of "
        '@{{harasser}}\'s removable posts in {{group}} with the reason "harassment" and suspends @{{harasser}} '
        "when the strike rule allows; then, if @{{victim}} may message @{{admin}} under the policy, DM them "
        '"{{body}}".',
    ],
    "grow_network": [
        "@{{handle}} wants to grow their network{% if city %} in {{city}}{% endif %}. Among users followed by "
        "at least one account @{{handle}} follows (excluding @{{handle}} and accounts they already follow"
        "{% if city %}, and only people living in {{city}}{% endif %}), follow the {{k}} that the policy lets "
        "@{{handle}} follow with the most connections (number of accounts @{{handle}} follows that follow "
        'them). Then send "{{body}}" to each newly followed user the policy lets @{{handle}} message.',
        "Suggest-and-follow for @{{handle}}: look at their friends of friends{% if city %} who live in "
        "{{city}}{% endif %} (not already followed, not themself), keep those the policy allows them to "
        "follow, and follow the {{k}} with the most mutual connections (accounts @{{handle}} follows that "
        'follow the person). Afterwards message each of them "{{body}}" where the policy permits.',
    ],
}
