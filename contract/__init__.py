"""What the Rasa server, the action server and the clinic core must agree on, spelled once.

    contract.statuses      the intake contract's closed status lists (docs/intake-contract.md):
                           modality statuses, triage levels, next steps
    contract.volunteering  which visitor messages may carry facts volunteered outside the consultation
                           (the action server records them; the Rasa server asks it only then)

No Rasa and no other project import: both server images copy this package whole.
"""
