"""State changes of the penal chain: each a function taking the acting agent keyword-only,
in one transaction, with its history event (DESIGN §3). Nothing else writes these models."""
