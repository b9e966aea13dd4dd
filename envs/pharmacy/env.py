"""Pharmacy stock: drugs, batches with expiry dates per store, patients, prescriptions, interactions, reorders."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import PharmacyTasks
from .tools import PharmacyTools
from .world import PharmacyWorld


class PharmacyEnv(PharmacyWorld, PharmacyTools, PharmacyTasks, EnvTemplate):
    name = "pharmacy"
    version = "2.0.0"
    category = "pharmacy stock"
    description = (
        "A pharmacy chain's dispensary system: look up drugs, batch stock and expiry per store, patients, "
        "their prescriptions and recent medicines; dispense, transfer stock between stores, dispose of "
        "expired batches and place reorders."
    )
    variants = VariantSpace(
        optional_tools=("list_stores",),
        renames={
            "get_stock": ("stock_levels", "batch_lookup"),
            "dispense": ("dispense_drug",),
            "search_drugs": ("drug_search",),
        },
        rules={
            "moderate_blocks": "Treat moderate interactions like major ones: never dispense across them.",
            "no_minor_otc": "Patients under 16 may not buy over-the-counter drugs; they get prescription fills only.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
