"""A clinician's prescribed plans (issue 15): prescribing from a form and the patient's
plan of the day."""
