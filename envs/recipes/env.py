"""Household kitchen: ingredients with nutrients and prices, recipes, pantry stock, meal plans and a shopping list."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import RecipesTasks
from .tools import RecipesTools
from .world import RecipesWorld


class RecipesEnv(RecipesWorld, RecipesTools, RecipesTasks, EnvTemplate):
    name = "recipes"
    version = "2.0.0"
    category = "recipes and nutrition"
    description = (
        "A household's kitchen assistant: ingredients with calories, protein and prices, recipes with "
        "quantities, the pantry, each member's allergies and calorie target, the meal plan and the "
        "shopping list. Look things up, plan meals, cook from the pantry and add to the shopping list."
    )
    variants = VariantSpace(
        optional_tools=("get_ingredient", "get_shopping_list", "list_cuisines"),
        renames={
            "search_recipes": ("find_recipes", "recipe_search"),
            "add_meal": ("schedule_meal",),
            "get_pantry": ("pantry_stock",),
        },
        rules={
            "weekday_dinner_prep": "On weekdays (Monday to Friday) a planned dinner must take at most 40 minutes "
            "to prepare.",
            "min_protein": "Every meal added to the plan must give at least 20 g of protein per serving.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
