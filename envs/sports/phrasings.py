"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "player_team": [
        "Which team does {{player}} play for?",
        "Who is {{player}} registered with?",
        "Tell me {{player}}'s current club.",
    ],
    "team_budget": [
        "How much transfer budget does {{team}} have left?",
        "What is the current budget of {{team}}?",
    ],
    "match_goals": [
        "How many goals did {{team}} score when {{home}} hosted {{away}} on {{date}}?",
        "{{home}} played {{away}} at home on {{date}}. How many goals did {{team}} get in that match?",
    ],
    "team_points": [
        "How many league points does {{team}} have?",
        "What is {{team}}'s points total in the current standings?",
    ],
    "team_top_scorer": [
        "Who has scored the most league goals for {{team}} this season?",
        "Name {{team}}'s top goal scorer of the season (goals in their matches so far).",
    ],
    "nth_place": [
        "Which team is in position {{n}} of the league table?",
        "Who sits {{n}}{{suffix}} in the standings right now?",
    ],
    "player_contributions": [
        "How many goals plus assists does {{player}} have this season?",
        "What is {{player}}'s total of goal contributions (goals + assists) so far?",
    ],
    "record_and_points": [
        "Record the result of the round {{round}} match {{home}} vs {{away}}: {{hg}}-{{ag}}. Then tell me "
        "{{team}}'s new points total.",
        "{{home}} {{hg}}, {{away}} {{ag}} (round {{round}}) - please enter that result and let me know how many "
        "points {{team}} has afterwards.",
    ],
    "buy_best": [
        "{{team}} wants the {{position}} from another club with the most goals plus assists this season among "
        "those valued at {{max_value}} or less. Buy him for exactly his market value, if the policy allows.",
        "Sign for {{team}}, at market value, the highest goal-contributing (goals + assists) {{position}} of any "
        "other team whose market value is at most {{max_value}}.",
    ],
    "sell_and_buy": [
        "{{team}} wants to cash in on its {{position}} with the fewest minutes played: sell him at his market "
        "value to the club with the biggest budget that can take him under the policy. Then, with the money "
        "available, buy at market value the {{position}} from another club with the most minutes this season "
        "among those the policy lets {{team}} buy.",
        "Squad reshuffle for {{team}}: the {{position}} who has played the fewest minutes goes, at market value, "
        "to whichever other club has the largest budget and is allowed to sign him; afterwards bring in, at "
        "market value, the {{position}} from another team with the most minutes played that {{team}} is allowed "
        "to buy.",
    ],
    "record_round": [
        "Enter the results of round {{round}}: {{results}}. Then tell me how many points the league leader has.",
        "Here are the round {{round}} scores - {{results}}. Record them all and tell me the points total of "
        "whoever is top of the table afterwards.",
    ],
    "squad_plan": [
        "Rebuild {{team}}'s attack: release their oldest {{release}}"
        ", then buy one FW and one MF from other clubs at market value so that the two have the "
        "largest combined goals plus assists this season, each aged under {{max_age}}, spending at most "
        "{{spend}} in total and respecting the policy.",
        "{{team}} is releasing its oldest {{release}}. After that, buy at market value one forward (FW) and one "
        "midfielder (MF), both younger than {{max_age}}, from other clubs, for no more than {{spend}} together, "
        "picking the pair with the most combined goals and assists; everything must stay within the policy.",
    ],
}
