"""The local web app: Starlette routes over the same services as the CLI."""
