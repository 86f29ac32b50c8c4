"""Alembic environment: batch mode so that SQLite can alter tables."""

from alembic import context

from soleus.store.schema import metadata

engine = context.config.attributes.get("engine")
if engine is None:
    raise RuntimeError("soleus migrations run through soleus.store.migrate with an engine")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    context.run_migrations()
