"""FHIR R4B: the person's plan and record as one Bundle (export), and a soleus CarePlan
bundle back into routines (import). The codes and the soleus extension are in
:mod:`.codes` and documented in docs/fhir.md."""
