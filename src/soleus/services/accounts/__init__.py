"""Accounts mode (issue 14): who is acting, what they may see, and how they sign in.

One concept per module: ``actor`` (the acting person and their memberships), ``access``
(the one place that decides whose records an actor may read or write), ``mode`` (is
accounts mode on, and may it be), ``passwords`` (argon2id), ``signin`` (passwords and
web sessions), ``tokens`` (personal access tokens), ``links`` (invitations and password
resets), ``limits`` (rate limits counted in the database), ``audit``, ``people`` (the
administration of organisations and accounts), ``mail`` (optional SMTP) and
``passkeys`` (WebAuthn).
"""
