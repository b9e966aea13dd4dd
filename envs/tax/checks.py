"""State checks for what a declaration of effects cannot say by itself.

Tax needs none: every write task declares its exact rows (the filed return with all its figures, the recorded
items, the deleted items, the new filing status) in its effects.
"""
