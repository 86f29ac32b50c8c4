"""Adherence (issue 15): a clinician's caseload and one patient's weeks."""
