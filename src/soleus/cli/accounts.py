"""`soleus org` and `soleus user`: administering accounts mode from the server's shell.

Whoever runs these can read the database anyway, so they act as the operator (every
organisation). They work before accounts mode is switched on, so an install can create
its organisation and first admin, then turn ``accounts`` on.
"""

from __future__ import annotations

from typing import Any

import click

from soleus.cli.common import SuggestingGroup, console, json_option, open_context, print_json

ROLE = click.Choice(["admin", "clinician", "patient"])


@click.group(cls=SuggestingGroup)
def org() -> None:
    """Organisations (accounts mode): a clinic or a company's health programme.

    \b
    Examples:
      soleus org create "Praxis Süd"
      soleus org list --json
    """


@org.command("create")
@click.argument("name")
@json_option
def org_create(name: str, as_json: bool) -> None:
    """Create the organisation NAME (unique; up to 120 characters).

    \b
    Examples:
      soleus org create "Praxis Süd"
    """
    from soleus.services.accounts import people
    from soleus.services.accounts.actor import OPERATOR

    org_id = people.create_org(open_context(), OPERATOR, name)
    if as_json:
        print_json({"id": org_id, "name": name.strip()})
        return
    click.echo(f"Created the organisation {name.strip()!r}. Invite its first admin with:")
    click.echo(f'  soleus user invite EMAIL --role admin --org "{name.strip()}"')


@org.command("list")
@json_option
def org_list(as_json: bool) -> None:
    """List the organisations.

    \b
    Examples:
      soleus org list --json
    """
    from soleus.services.accounts import people

    names = people.org_names(open_context())
    if as_json:
        print_json(names)
        return
    click.echo("\n".join(names) if names else "No organisations yet: soleus org create NAME")


@click.group(cls=SuggestingGroup)
def user() -> None:
    """People with accounts (accounts mode): invite, list, disable, reset a password.

    \b
    Examples:
      soleus user invite doc@example.org --role clinician --org "Praxis Süd"
      soleus user list --json
    """


@user.command("invite")
@click.argument("email")
@click.option("--role", type=ROLE, required=True, help="Their role in the organisation.")
@click.option("--org", "org_name", required=True, help="The organisation's name.")
@json_option
def user_invite(email: str, role: str, org_name: str, as_json: bool) -> None:
    """Invite EMAIL to an organisation: prints a one-time link (valid 7 days) that
    starts with the public_url setting; mailed too when SMTP is set up.

    \b
    Examples:
      soleus user invite doc@example.org --role clinician --org "Praxis Süd"
      soleus user invite boss@example.org --role admin --org "Praxis Süd" --json
    """
    from soleus.services.accounts import links
    from soleus.services.accounts.actor import OPERATOR

    issued = links.invite(open_context(), OPERATOR, email=email, role=role, org=org_name)
    _issued(issued, as_json, f"Invitation for {issued.email} ({role} at {org_name})")


@user.command("reset")
@click.argument("email")
@json_option
def user_reset(email: str, as_json: bool) -> None:
    """Print a one-time link (valid 24 hours) for EMAIL to set a new password.

    \b
    Examples:
      soleus user reset doc@example.org
    """
    from soleus.services.accounts import links
    from soleus.services.accounts.actor import OPERATOR

    issued = links.reset_link(open_context(), OPERATOR, email=email)
    _issued(issued, as_json, f"Password reset link for {issued.email}")


def _issued(issued: Any, as_json: bool, title: str) -> None:
    if as_json:
        print_json(
            {
                "url": issued.url,
                "email": issued.email,
                "expires_at": issued.expires_at,
                "mailed": issued.mailed,
                "mail_error": issued.mail_error or None,
            }
        )
        return
    click.echo(f"{title}, valid once until {issued.expires_at} UTC:")
    click.echo(issued.url)
    if issued.mailed:
        click.echo("(mailed to them as well)")
    elif issued.mail_error:
        click.echo(f"soleus: warning: {issued.mail_error}; send them the link yourself", err=True)


@user.command("list")
@json_option
def user_list(as_json: bool) -> None:
    """Everyone with an account: email, state and roles (no health data).

    \b
    Examples:
      soleus user list
      soleus user list --json
    """
    from soleus.services.accounts import people
    from soleus.services.accounts.actor import OPERATOR

    found = people.listing(open_context(), OPERATOR)
    if as_json:
        print_json([_person(p) for p in found])
        return
    if not found:
        click.echo("No accounts yet: soleus user invite EMAIL --role admin --org NAME")
        return
    from rich.table import Table

    table = Table("email", "state", "roles")
    for p in found:
        roles = ", ".join(f"{role} at {org}" for org, role in p.roles)
        table.add_row(p.email, "disabled" if p.disabled else "active", roles)
    console().print(table)


def _person(p: Any) -> dict[str, Any]:
    return {
        "id": p.person_id,
        "email": p.email,
        "disabled": p.disabled,
        "roles": [{"org": org, "role": role} for org, role in p.roles],
        "clinician_id": p.clinician_id,
    }


@user.command("disable")
@click.argument("email")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@json_option
def user_disable(email: str, enable: bool, as_json: bool) -> None:
    """Disable the account EMAIL: it cannot sign in and its sessions end at once.

    \b
    Examples:
      soleus user disable doc@example.org
      soleus user disable doc@example.org --enable
    """
    from soleus.services.accounts import people
    from soleus.services.accounts.actor import OPERATOR

    person = people.set_disabled(open_context(), OPERATOR, email, disabled=not enable)
    if as_json:
        print_json(_person(person))
        return
    click.echo(f"{person.email} is {'disabled' if person.disabled else 'enabled'}.")
