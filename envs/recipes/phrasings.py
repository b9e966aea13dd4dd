"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "ingredient_price": [
        "How much does {{ingredient}} cost per kilogram?",
        "What is the price per kg of {{ingredient}}?",
        "Look up {{ingredient}} and tell me its price per kilo.",
    ],
    "recipe_prep": [
        "How many minutes does the recipe {{recipe}} take to prepare?",
        "What is the preparation time of {{recipe}}, in minutes?",
    ],
    "pantry_stock": [
        "How many grams of {{ingredient}} are in the pantry?",
        "Check the pantry: how much {{ingredient}} do we have, in grams?",
    ],
    "recipe_kcal": [
        "How many calories does one serving of {{recipe}} have?",
        "What is the calorie count per serving of {{recipe}}?",
        "Give me the kcal per serving for the recipe {{recipe}}.",
    ],
    "cheapest_safe": [
        "Which {{course}} recipe is the cheapest per serving among those {{member}} can safely eat?",
        "{{member}} has allergies. Of the {{course}} recipes that are safe for them, which one costs the least "
        "per serving?",
        "Find the lowest-cost-per-serving {{course}} recipe that contains nothing {{member}} is allergic to.",
    ],
    "count_quick": [
        "How many {{cuisine}} {{course}} recipes take at most {{minutes}} minutes to prepare"
        "{% if veg %} and are vegetarian{% endif %}?",
        "Count the {% if veg %}vegetarian {% endif %}{{cuisine}} recipes for {{course}} with a preparation "
        "time of {{minutes}} minutes or less.",
    ],
    "day_kcal": [
        "How many calories are planned for {{member}} on {{date}}?",
        "What is {{member}}'s total planned calorie intake for {{date}} (servings times calories per serving, "
        "over all meals that day)?",
    ],
    "protein_meal": [
        "Add a {{meal}} for {{member}} on {{date}}: one serving of the {{cuisine}} {{meal}} recipe with the most "
        "protein per serving that the policy allows for them that day.",
        "{{member}} wants a high-protein {{meal}} on {{date}}. Plan one serving of whichever {{cuisine}} "
        "{{meal}} recipe gives the most protein per serving and is allowed for them.",
    ],
    "shop_for_recipe": [
        "We plan to cook {{recipe}} {{batches}} time{% if batches > 1 %}s{% endif %} as written. Add to the "
        "shopping list exactly what the pantry is short of.",
        "Put the pantry shortfall for {{batches}} batch{% if batches > 1 %}es{% endif %} of {{recipe}} on the "
        "shopping list.",
    ],
    "cook_or_shop": [
        "Cook {{batches}} batch{% if batches > 1 %}es{% endif %} of {{recipe}} if the pantry has everything for "
        "it; if anything is short, don't cook and add the shortfall to the shopping list instead.",
        "I'd like {{recipe}} made {{batches}} time{% if batches > 1 %}s{% endif %}. Cook it when the pantry "
        "covers all ingredients; otherwise put exactly what is missing on the shopping list and leave the "
        "pantry alone.",
    ],
    "household_dinner": [
        "Plan one shared dinner on {{date}} for the whole household: every member gets one serving of the same "
        "recipe. Choose the cheapest dinner recipe per serving that the policy allows for everyone.",
        "On {{date}} everyone eats together. Pick the lowest-cost dinner recipe (per serving) that is allowed "
        "for every member that evening and schedule one serving of it for each of them.",
    ],
    "allergy_swap": [
        "{{member}} has just been diagnosed with a {{allergen}} allergy. Record it, remove every planned meal of "
        "theirs that contains {{allergen}}, and replace each with one serving of the cheapest recipe of the same "
        "course that the policy allows in that slot.",
        "Note that {{member}} is now allergic to {{allergen}}. Then take every meal on their plan containing it "
        "off the plan and put in its place one serving of the lowest-cost same-course recipe they may have "
        "there under the policy.",
    ],
    "dinner_series": [
        "Plan {{member}}'s dinners for {{dates}}: one serving each, a different {% if veg %}vegetarian {% endif %}"
        "recipe every night, all allowed by the policy, with the three dinners costing at most {{budget}} in "
        "total. Then add to the shopping list the pantry shortfall for cooking each chosen recipe once as "
        "written.",
        "{{member}} needs three dinners, on {{dates}}. Use three different {% if veg %}vegetarian {% endif %}"
        "recipes, one serving each, respecting the policy, for no more than {{budget}} altogether; afterwards "
        "put on the shopping list whatever the pantry lacks to make each of those recipes once (one batch each).",
    ],
}
